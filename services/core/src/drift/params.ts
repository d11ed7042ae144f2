import { InvalidDetectorParamError } from './errors.ts';

/** A numeric parameter: its default and the range River's algorithm is defined on. */
export interface NumberRule {
  readonly kind: 'number';
  readonly default: number;
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Whether `min` itself is excluded. */
  readonly exclusiveMin?: boolean;
  /** Whether `max` itself is excluded. */
  readonly exclusiveMax?: boolean;
}

/** A parameter that takes one of a fixed set of strings. */
export interface EnumRule<T extends string = string> {
  readonly kind: 'enum';
  readonly default: T;
  readonly values: readonly T[];
}

/** One rule per parameter of `P`; the rule's default is the detector's documented default. */
export type ParamRules<P> = {
  readonly [K in keyof P]: P[K] extends number ? NumberRule : P[K] extends string ? EnumRule<P[K]> : never;
};

type AnyRule = NumberRule | EnumRule;

/**
 * Merge `given` over the defaults in `rules`, checking every value.
 *
 * @param detector - detector name, used in error messages
 * @param rules - the detector's parameter table
 * @param given - user params (a subset of the table's keys); `undefined` means all defaults
 * @returns a frozen, complete params object
 * @throws InvalidDetectorParamError (not retriable) naming the param: unknown key (with the valid
 *   names), wrong type, or out of range
 */
export function resolveParams<P extends object>(detector: string, rules: ParamRules<P>, given: unknown): P {
  const table = rules as unknown as Record<string, AnyRule>;
  const names = Object.keys(table);
  const input = given ?? {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidDetectorParamError(detector, '', `params must be an object, got ${describe(input)}`);
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(key in table)) throw unknownParam(detector, key, names);
  }
  const out: Record<string, number | string> = {};
  for (const name of names) {
    const rule = table[name] as AnyRule;
    const value = record[name] === undefined ? rule.default : record[name];
    out[name] = checkValue(detector, name, rule, value);
  }
  return Object.freeze(out) as P;
}

function unknownParam(detector: string, key: string, names: readonly string[]): InvalidDetectorParamError {
  // River spells params in snake_case; point people who copy a River config at the TS name.
  const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const hint = camel !== key && names.includes(camel) ? ` (did you mean '${camel}'?)` : '';
  return new InvalidDetectorParamError(
    detector,
    key,
    `unknown param '${key}'${hint}; valid params: ${names.join(', ')}`,
  );
}

function checkValue(detector: string, name: string, rule: AnyRule, value: unknown): number | string {
  if (rule.kind === 'enum') {
    if (typeof value === 'string' && rule.values.includes(value)) return value;
    const valid = rule.values.map((v) => `'${v}'`).join(', ');
    throw new InvalidDetectorParamError(
      detector,
      name,
      `param '${name}' must be one of ${valid}, got ${describe(value)}`,
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || !inRange(rule, value)) {
    throw new InvalidDetectorParamError(
      detector,
      name,
      `param '${name}' must be ${rangeText(rule)}, got ${describe(value)}`,
    );
  }
  return value;
}

function inRange(rule: NumberRule, v: number): boolean {
  if (rule.integer === true && !Number.isInteger(v)) return false;
  if (rule.min !== undefined && (rule.exclusiveMin === true ? v <= rule.min : v < rule.min)) return false;
  if (rule.max !== undefined && (rule.exclusiveMax === true ? v >= rule.max : v > rule.max)) return false;
  return true;
}

function rangeText(rule: NumberRule): string {
  const what = rule.integer === true ? 'an integer' : 'a finite number';
  const lo = rule.min === undefined ? '' : `${rule.exclusiveMin === true ? '>' : '>='} ${rule.min}`;
  const hi = rule.max === undefined ? '' : `${rule.exclusiveMax === true ? '<' : '<='} ${rule.max}`;
  const bounds = [lo, hi].filter((s) => s !== '').join(' and ');
  return bounds === '' ? what : `${what} ${bounds}`;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
