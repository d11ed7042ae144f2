import { readFileSync } from 'node:fs';
import { describe } from '../../../core/src/errors.ts';
import { RulesError } from '../errors.ts';
import { describeIssue } from './issues.ts';
import { betterDirection } from './metric-direction.ts';
import { modelRulesSchema, rulesFileSchema, type ModelRules } from './schema.ts';

/** The checked rules: the defaults, and the merged rules of every model named in the file. */
export interface Rules {
  file: string;
  defaults: ModelRules;
  models: ReadonlyMap<string, ModelRules>;
}

/** The rules of a model: its own when the file names it, else the defaults. */
export function rulesFor(rules: Rules, modelId: string): ModelRules {
  return rules.models.get(modelId) ?? rules.defaults;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Objects merge key by key; anything else (numbers, arrays) is replaced by the override. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}

/** `DRIFTLINE_ALERT__<A>__<B>...=value` sets `a.b...`; the value is JSON when it parses, else a string. */
export const ENV_PREFIX = 'DRIFTLINE_ALERT__';

/** Environment overrides as one object to merge on top of the file: the JSON one, then the path ones. */
export function envOverrides(env: Record<string, string | undefined>, file: string): unknown {
  let out: unknown = {};
  const json = env.DRIFTLINE_ALERT_RULES_JSON;
  if (json) {
    try {
      out = JSON.parse(json);
    } catch (error) {
      throw new RulesError(file, [`DRIFTLINE_ALERT_RULES_JSON is not JSON: ${describe(error)}`]);
    }
  }
  for (const [name, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = name.slice(ENV_PREFIX.length).toLowerCase().split('__');
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a bare word such as WARNING or 6h stays a string
    }
    out = deepMerge(
      out,
      path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value),
    );
  }
  return out;
}

/** Checks that critical lies beyond warning in the metric's bad direction (a per-metric rule zod cannot see). */
function objectiveOrder(rules: ModelRules): string[] {
  const out: string[] = [];
  for (const [name, r] of Object.entries(rules.rules.performance)) {
    if (r.type !== 'objective') continue;
    const dir = betterDirection(r.metric);
    if ((r.critical - r.warning) * dir > 0) {
      const word = dir > 0 ? 'at most' : 'at least';
      out.push(
        `rule performance.${name}: setting critical: must be ${word} warning (${r.warning}), got ${r.critical}`,
      );
    }
  }
  return out;
}

function check(input: unknown, file: string, where: string): ModelRules | string[] {
  const parsed = modelRulesSchema.safeParse(input);
  if (!parsed.success) return parsed.error.issues.map((i) => where + describeIssue(i, input));
  const order = objectiveOrder(parsed.data).map((p) => where + p);
  return order.length > 0 ? order : parsed.data;
}

/**
 * Reads, merges and checks a rules file: `defaults`, then `models.<id>` merged over them, with environment
 * overrides merged over the file first.
 * @throws RulesError (not retriable) listing every problem, each naming the file, the rule and the setting.
 */
export function parseRules(text: string, file: string, env: Record<string, string | undefined> = {}): Rules {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new RulesError(file, [`not valid JSON: ${describe(error)}`]);
  }
  const merged = deepMerge(raw, envOverrides(env, file));
  const top = rulesFileSchema.safeParse(merged);
  if (!top.success)
    throw new RulesError(
      file,
      top.error.issues.map((i) => describeIssue(i, merged)),
    );
  const problems: string[] = [];
  const defaults = check(top.data.defaults, file, '');
  if (Array.isArray(defaults)) problems.push(...defaults);
  const models = new Map<string, ModelRules>();
  for (const [id, override] of Object.entries(top.data.models)) {
    const r = check(deepMerge(top.data.defaults, override), file, `model ${id}: `);
    if (Array.isArray(r)) problems.push(...r);
    else models.set(id, r);
  }
  if (problems.length > 0 || Array.isArray(defaults)) throw new RulesError(file, problems);
  return { file, defaults, models };
}

/** Reads the rules file named by the settings. @throws RulesError naming the file when it cannot be read. */
export function loadRules(file: string, env: Record<string, string | undefined> = process.env): Rules {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new RulesError(file, [`cannot read: ${describe(error)}`]);
  }
  return parseRules(text, file, env);
}
