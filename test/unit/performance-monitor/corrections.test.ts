import { describe, expect, it } from 'vitest';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import type { ProcessorOptions } from '../../../services/performance-monitor/src/options.ts';
import {
  PerformanceProcessor,
  type FlushResult,
  type ProcessResult,
} from '../../../services/performance-monitor/src/processor.ts';
import type { ComparisonRow } from '../../../services/performance-monitor/src/comparisons.ts';
import type { MetricRow } from '../../../services/performance-monitor/src/rows.ts';
import { MIN, T0, cls, finalRows, options, reg, value } from './helpers.ts';
import { seeded } from './stream.ts';

/** A record as the joiner publishes it, with the previous-label header's value on a correction. */
interface Published {
  record: JoinedPrediction;
  previous?: string | number;
}

const CLASSES = ['c0', 'c1', 'c2', 'c3'];

/** Classifiers (two versions, scored) and a regressor, up to 3 minutes out of event-time order. */
function finalStream(n: number, seed: number): JoinedPrediction[] {
  const random = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const at = T0 + i * 2000 - Math.floor(random() * 3 * MIN);
    const tags = { region: random() < 0.5 ? 'eu' : 'us', arm: random() < 0.5 ? 'A' : 'B' };
    if (i % 4 === 0) {
      const target = Math.round(random() * 50) / 10;
      return reg(at, target, target + random() - 0.3, { model_id: 'r', tags, prediction_id: `r${i}` });
    }
    const truth = Math.floor(random() * CLASSES.length);
    const predicted = random() < 0.7 ? truth : Math.floor(random() * CLASSES.length);
    const raw = CLASSES.map((_, c) => random() + (c === predicted ? 3 : 0));
    const sum = raw.reduce((s, x) => s + x, 0);
    const scores = Object.fromEntries(CLASSES.map((c, k) => [c, (raw[k] ?? 0) / sum]));
    const version = tags.arm === 'A' ? 'v1' : 'v2';
    return cls(at, CLASSES[truth]!, CLASSES[predicted]!, {
      scores,
      tags,
      model_version: version,
      prediction_id: `c${i}`,
    });
  });
}

/**
 * The same predictions as the joiner emits them with `last` wins: a share first carries a wrong label,
 * then one or two corrections (up to 40 records later, within the allowed lateness) lead to the final one.
 */
function withCorrections(final: readonly JoinedPrediction[], seed: number): Published[] {
  const random = seeded(seed);
  const wrong = (r: JoinedPrediction): string | number =>
    typeof r.label === 'number'
      ? r.label + 1 + Math.round(random() * 30) / 10
      : CLASSES[(CLASSES.indexOf(r.label) + 1 + Math.floor(random() * 3)) % CLASSES.length]!;
  const slots: Published[][] = final.map(() => []);
  final.forEach((r, i) => {
    if (random() >= 0.3) {
      slots[i]!.push({ record: r });
      return;
    }
    const labels = random() < 0.3 ? [wrong(r), wrong(r), r.label] : [wrong(r), r.label];
    slots[i]!.push({ record: { ...r, label: labels[0]! } });
    let at = i;
    for (let k = 1; k < labels.length; k++) {
      at = Math.min(final.length - 1, at + 1 + Math.floor(random() * 20));
      slots[at]!.push({
        record: { ...r, label: labels[k]!, correction: true, labeled_at: r.labeled_at + k },
        previous: labels[k - 1]!,
      });
    }
  });
  return slots.flat();
}

function runPublished(
  published: readonly Published[],
  o: ProcessorOptions,
  batch: number,
): { flushes: FlushResult[]; outcomes: ProcessResult['outcome'][] } {
  const p = new PerformanceProcessor(o);
  const flushes: FlushResult[] = [];
  const outcomes: ProcessResult['outcome'][] = [];
  for (let i = 0; i < published.length; i += batch) {
    for (const { record, previous } of published.slice(i, i + batch)) {
      outcomes.push(p.process(record, previous).outcome);
    }
    flushes.push(p.flush(i + batch, String(i + batch)));
  }
  return { flushes, outcomes };
}

/** The newest row per identity of a row kind, revision left out. */
function latest<R extends { revision: number }>(rows: readonly R[], key: (r: R) => string): Map<string, R> {
  const out = new Map<string, R>();
  for (const r of rows) {
    const prev = out.get(key(r));
    if (!prev || prev.revision <= r.revision) out.set(key(r), r);
  }
  return out;
}

/** Differences beyond 1e-9 (relative above 1) between two rows, revision left out, as readable lines. */
function differences(actual: unknown, expected: unknown, path: string, out: string[] = []): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const same =
      Object.is(actual, expected) || Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
    if (!same) out.push(`${path}: ${actual} vs ${expected}`);
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      out.push(`${path}: ${String(actual)} vs ${String(expected)}`);
    else expected.forEach((e, i) => differences(actual[i], e, `${path}[${i}]`, out));
  } else if (typeof expected === 'object' && expected !== null) {
    for (const [k, e] of Object.entries(expected)) {
      if (k !== 'revision')
        differences((actual as Record<string, unknown> | undefined)?.[k], e, `${path}.${k}`, out);
    }
  } else if (actual !== expected) {
    out.push(`${path}: ${String(actual)} vs ${String(expected)}`);
  }
  return out;
}

function expectSameRows<R>(actual: ReadonlyMap<string, R>, expected: ReadonlyMap<string, R>): void {
  const out: string[] = [];
  for (const [key, e] of expected) differences(actual.get(key), e, key, out);
  expect(out.slice(0, 10)).toEqual([]);
}

const OPTIONS = options({
  segmentTags: ['region'],
  comparisons: { mode: 'auto' },
  baseline: { mode: 'period', fromMs: T0, toMs: T0 + 20 * MIN },
});

describe('PerformanceProcessor: label corrections', () => {
  it('shouldWriteExactlyTheRowsOfTheFinalLabelsWhenAStreamCarriesCorrections', () => {
    for (const seed of [1, 2]) {
      const final = finalStream(1500, seed);
      const published = withCorrections(final, seed + 100);
      const corrections = published.filter((p) => p.record.correction).length;
      expect(corrections).toBeGreaterThan(300);
      const got = runPublished(published, OPTIONS, 97);
      expect(got.outcomes.filter((o) => o === 'corrected')).toHaveLength(corrections);
      expect(got.flushes.every((f) => f.unmatchedCorrections === 0)).toBe(true);
      const want = runPublished(
        final.map((record) => ({ record })),
        OPTIONS,
        final.length,
      ).flushes;

      const metrics = finalRows(got.flushes);
      const expected = finalRows(want);
      expect(expected.size).toBeGreaterThan(2000);
      // Figures a correction took away were rewritten as NaN; every other row is the final labels' row.
      const stale = [...metrics].filter(([, r]) => Number.isNaN(r.value)).map(([k]) => k);
      expect(stale.length).toBeGreaterThan(0);
      for (const key of stale) expect(expected.has(key), key).toBe(false);
      const live = [...metrics.keys()].filter((k) => !stale.includes(k)).sort();
      expect(live).toEqual([...expected.keys()].sort());
      expectSameRows(metrics, expected);

      const bucketKey = (b: {
        model_id: string;
        model_version: string;
        segment: string;
        bucket_start_ms: number;
      }) => [b.model_id, b.model_version, b.segment, b.bucket_start_ms].join('|');
      const buckets = latest(
        got.flushes.flatMap((f) => f.bucketRows),
        bucketKey,
      );
      const wantBuckets = latest(
        want.flatMap((f) => f.bucketRows),
        bucketKey,
      );
      expect([...buckets.keys()].sort()).toEqual([...wantBuckets.keys()].sort());
      expectSameRows(buckets, wantBuckets);

      const comparisonKey = (c: ComparisonRow) =>
        [
          c.model_id,
          c.baseline_version,
          c.candidate_version,
          c.segment,
          c.window_size,
          c.window_id,
          c.metric,
        ].join('|');
      const comparisons = latest(
        got.flushes.flatMap((f) => f.comparisonRows),
        comparisonKey,
      );
      const wantComparisons = latest(
        want.flatMap((f) => f.comparisonRows),
        comparisonKey,
      );
      expect(wantComparisons.size).toBeGreaterThan(0);
      expect([...comparisons.keys()].sort()).toEqual([...wantComparisons.keys()].sort());
      expectSameRows(comparisons, wantComparisons);
    }
  }, 30_000);

  it('shouldRewriteAFigureTheCorrectionTookAwayAsNaN', () => {
    const first = cls(T0, 'a', 'a', { prediction_id: 'x1' });
    const second = cls(T0 + 1000, 'b', 'a', { prediction_id: 'x2' });
    const p = new PerformanceProcessor(options());
    p.process(first);
    p.process(second);
    const before = p.flush(1, '1');
    expect(before.metricRows.some((r) => r.metric === 'support:b')).toBe(true);
    expect(p.process({ ...second, label: 'a', correction: true }, 'b').outcome).toBe('corrected');
    const rows = finalRows([before, p.flush(2, '2')]);
    expect(value(rows, 'accuracy', T0)).toBe(1);
    expect(value(rows, 'count', T0)).toBe(2);
    expect(value(rows, 'confusion:a|a', T0)).toBe(2);
    for (const gone of ['support:b', 'precision:b', 'recall:b', 'f1:b', 'confusion:b|a']) {
      expect(value(rows, gone, T0), gone).toBeNaN();
    }
  });

  it('shouldSkipAndCountACorrectionWhoseEarlierLabelIsUnknown', () => {
    const p = new PerformanceProcessor(options());
    const r = cls(T0, 'a', 'a');
    p.process(r);
    expect(p.process({ ...r, label: 'b', correction: true }).outcome).toBe('correction');
    const rows = finalRows([p.flush(1, '1')]);
    expect(value(rows, 'accuracy', T0)).toBe(1);
    expect(value(rows, 'count', T0)).toBe(1);
  });

  it('shouldTreatACorrectionBeyondTheAllowedLatenessAsLate', () => {
    const p = new PerformanceProcessor(options());
    const r = cls(T0, 'a', 'a');
    p.process(r);
    p.process(cls(T0 + 30 * MIN, 'a', 'a'));
    const before = p.flush(1, '1');
    expect(p.process({ ...r, label: 'b', correction: true }, 'a').outcome).toBe('late');
    const rows = finalRows([before, p.flush(2, '2')]);
    expect(value(rows, 'accuracy', T0)).toBe(1);
  });

  it('shouldAddTheNewLabelAndCountItWhenTheEarlierPairIsNotHeld', () => {
    const p = new PerformanceProcessor(options());
    const r = cls(T0, 'a', 'a');
    p.process(r);
    // Says it replaces b, but the window holds a (e.g. the correction to b was skipped).
    expect(p.process({ ...r, label: 'c', correction: true }, 'b').outcome).toBe('corrected');
    const flush = p.flush(1, '1');
    expect(flush.unmatchedCorrections).toBe(1);
    const rows = finalRows([flush]);
    expect(value(rows, 'count', T0)).toBe(2);
    expect(value(rows, 'confusion:a|a', T0)).toBe(1);
  });

  it('shouldCorrectTheRollingWindowWhileThePairIsHeldAndIgnoreItOnceEvicted', () => {
    const o = options({ rollingSize: 3, rollingEvery: 1 });
    const p = new PerformanceProcessor(o);
    const records = [0, 1, 2].map((i) => cls(T0 + i * 1000, 'a', 'a', { prediction_id: `q${i}` }));
    records.forEach((r) => p.process(r));
    p.process({ ...records[2]!, label: 'b', correction: true }, 'a'); // held: corrected in place
    p.process(cls(T0 + 3000, 'a', 'a')); // evicts q0
    p.process({ ...records[0]!, label: 'b', correction: true }, 'a'); // evicted: ignored
    const rolling = (f: FlushResult, seq: number, metric: string) =>
      f.metricRows.find(
        (r: MetricRow) => r.window_size === 'last_3' && r.window_id === seq && r.metric === metric,
      )?.value;
    const flush = p.flush(1, '1');
    expect(rolling(flush, 3, 'accuracy')).toBe(1);
    expect(rolling(flush, 4, 'accuracy')).toBeCloseTo(2 / 3, 12);
    // No emission for a correction: the seq counts labeled predictions only.
    expect(flush.metricRows.some((r) => r.window_size === 'last_3' && r.window_id === 5)).toBe(false);
  });
});
