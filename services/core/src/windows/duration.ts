import { ConfigError } from '../errors.ts';

/**
 * The one duration grammar of the project: a whole number, optional blanks, then an optional unit
 * (`500ms`, `30s`, `5m`, `1h`, `1d`, `2w`); no unit means milliseconds unless the caller requires one.
 * Every setting, rule file, report bound and table label that names a span of time is read here, so that
 * `60m` and `1h` are the same window everywhere.
 */
export const DURATION_UNITS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

export type DurationUnit = keyof typeof DURATION_UNITS;

const GRAMMAR = /^\s*(\d+)\s*(ms|s|m|h|d|w)?\s*$/;

/** Units of the normal form, largest first. Weeks are left out so that `7d`, as already written in tables, stays. */
const NORMAL_FORM_UNITS: readonly DurationUnit[] = ['d', 'h', 'm', 's'];

export interface DurationRules {
  /** `required`: a bare number is not a duration (where it could be mistaken for a count or an epoch). */
  unit?: 'optional' | 'required';
}

/** `5m` → 300000; undefined when the text is not in the grammar or overflows a safe integer. `0s` → 0. */
export function durationMs(text: string, rules: DurationRules = {}): number | undefined {
  const match = GRAMMAR.exec(text);
  if (!match) return undefined;
  const unit = match[2] as DurationUnit | undefined;
  if (unit === undefined && rules.unit === 'required') return undefined;
  const ms = Number(match[1]) * DURATION_UNITS[unit ?? 'ms'];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/**
 * The normal form of a duration: the largest unit that divides it exactly (300000 → `5m`, 5400000 → `90m`,
 * 1500 → `1500ms`). Names written to tables (window_size) and compared across services are in this form.
 */
export function durationName(ms: number): string {
  for (const unit of NORMAL_FORM_UNITS) {
    const size = DURATION_UNITS[unit];
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** `60m` → `1h`; undefined when the text is not a duration. Compare this, never the text as typed. */
export function normalDuration(text: string, rules: DurationRules = {}): string | undefined {
  const ms = durationMs(text, rules);
  return ms === undefined ? undefined : durationName(ms);
}

/** Parses a setting's duration. @throws ConfigError naming the setting when the text is not in the grammar. */
export function parseDuration(text: string, setting: string): number {
  const ms = durationMs(text);
  if (ms === undefined)
    throw new ConfigError(
      setting,
      `not a duration: ${JSON.stringify(text)} (use e.g. 500ms, 30s, 5m, 1h, 1d)`,
    );
  return ms;
}
