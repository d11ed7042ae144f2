import { STAT_TEST_NAMES, STAT_TESTS } from '../../core/src/stats/registry.ts';
import type { StatTestName } from '../../core/src/stats/stattest-types.ts';

/** A per-feature choice: the test that decides its drift and/or its threshold. */
export interface FeatureTestOverride {
  test?: StatTestName;
  threshold?: number;
}

/** Parse result: a value, or the reason it is invalid (zod turns it into a ConfigError naming the variable). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const VALID = `valid tests: ${STAT_TEST_NAMES.join(', ')}`;

function isTest(name: string): name is StatTestName {
  return Object.hasOwn(STAT_TESTS, name);
}

function parseThreshold(text: string, where: string): Parsed<number> {
  const t = Number(text);
  if (text.trim() === '' || !Number.isFinite(t) || t < 0) {
    return { ok: false, error: `${where}: threshold ${JSON.stringify(text)} is not a number >= 0` };
  }
  return { ok: true, value: t };
}

/**
 * One `feature:test[:threshold]` entry, read from the right so feature names may hold colons
 * (`__score__:a:ks:0.01`). `feature::0.2` keeps the default test and sets its threshold.
 */
function parseEntry(entry: string): Parsed<[string, FeatureTestOverride]> {
  const parts = entry.split(':');
  let threshold: number | undefined;
  const last = parts[parts.length - 1] ?? '';
  if (parts.length >= 3 && !isTest(last)) {
    const t = parseThreshold(last, entry);
    if (!t.ok) return t;
    threshold = t.value;
    parts.pop();
  }
  const test = parts.pop() ?? '';
  const feature = parts.join(':');
  if (feature === '') return { ok: false, error: `${JSON.stringify(entry)}: use feature:test[:threshold]` };
  if (test !== '' && !isTest(test)) {
    return { ok: false, error: `${JSON.stringify(entry)}: unknown test ${JSON.stringify(test)}; ${VALID}` };
  }
  const override: FeatureTestOverride = {};
  if (test !== '') override.test = test as StatTestName;
  if (threshold !== undefined) override.threshold = threshold;
  return { ok: true, value: [feature, override] };
}

function parseJsonOverrides(text: string): Parsed<Map<string, FeatureTestOverride>> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: 'JSON must be an object {"feature": {"test": "ks", "threshold": 0.01}}' };
  }
  const out = new Map<string, FeatureTestOverride>();
  for (const [feature, value] of Object.entries(raw as Record<string, unknown>)) {
    const { test, threshold } = (value ?? {}) as { test?: unknown; threshold?: unknown };
    const override: FeatureTestOverride = {};
    if (test !== undefined) {
      if (typeof test !== 'string' || !isTest(test)) {
        return { ok: false, error: `${feature}: unknown test ${JSON.stringify(test)}; ${VALID}` };
      }
      override.test = test;
    }
    if (threshold !== undefined) {
      const t = parseThreshold(String(threshold), feature);
      if (!t.ok || typeof threshold !== 'number') return { ok: false, error: `${feature}: bad threshold` };
      override.threshold = t.value;
    }
    out.set(feature, override);
  }
  return { ok: true, value: out };
}

/**
 * Per-feature test overrides: `feature:test[:threshold],...` or a JSON object.
 * @example parseFeatureTests('x0:psi:0.2,plan:chi2') // Map { x0 → {test:'psi', threshold:0.2}, plan → {test:'chi2'} }
 */
export function parseFeatureTests(text: string): Parsed<Map<string, FeatureTestOverride>> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return parseJsonOverrides(trimmed);
  const out = new Map<string, FeatureTestOverride>();
  for (const entry of trimmed.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const parsed = parseEntry(entry);
    if (!parsed.ok) return parsed;
    out.set(parsed.value[0], parsed.value[1]);
  }
  return { ok: true, value: out };
}

/**
 * Default thresholds per test, `test:threshold,...`, over the registry's defaults (Evidently's).
 * @example parseTestThresholds('psi:0.2').psi // 0.2
 */
export function parseTestThresholds(text: string): Parsed<Record<StatTestName, number>> {
  const out = Object.fromEntries(STAT_TEST_NAMES.map((n) => [n, STAT_TESTS[n].defaultThreshold])) as Record<
    StatTestName,
    number
  >;
  for (const entry of text.split(',').map((e) => e.trim())) {
    if (entry === '') continue;
    const [name = '', value = ''] = entry.split(':');
    if (!isTest(name)) return { ok: false, error: `unknown test ${JSON.stringify(name)}; ${VALID}` };
    const t = parseThreshold(value, entry);
    if (!t.ok) return t;
    out[name] = t.value;
  }
  return { ok: true, value: out };
}
