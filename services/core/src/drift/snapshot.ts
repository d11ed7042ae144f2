/**
 * Checked reading of detector snapshots. Snapshots come back from a store that other code (or an
 * older release) wrote, so `fromJSON()` validates every field instead of trusting a cast.
 */
import { InvalidDetectorStateError } from './errors.ts';
import { resolveParams } from './params.ts';
import type { ParamRules } from './params.ts';

/** The parts of a snapshot that passed the envelope checks. */
export interface SnapshotParts<P> {
  readonly params: P;
  readonly state: StateReader;
}

/**
 * Check the envelope (`kind`, `version`, `params`, `state`) of a snapshot and resolve its params.
 *
 * @throws InvalidDetectorStateError (not retriable) on a wrong kind, version, shape or params
 */
export function openSnapshot<P extends object>(
  json: unknown,
  kind: string,
  rules: ParamRules<P>,
): SnapshotParts<P> {
  const top = asRecord(json, kind, '(snapshot)');
  if (top['kind'] !== kind) {
    throw new InvalidDetectorStateError(kind, 'kind', `expected kind '${kind}', got ${String(top['kind'])}`);
  }
  if (top['version'] !== 1) {
    throw new InvalidDetectorStateError(kind, 'version', `unsupported version ${String(top['version'])}`);
  }
  let params: P;
  try {
    params = resolveParams(kind, rules, asRecord(top['params'], kind, 'params'));
  } catch (cause) {
    if (cause instanceof InvalidDetectorStateError) throw cause;
    throw new InvalidDetectorStateError(kind, 'params', `invalid params: ${(cause as Error).message}`, {
      cause,
    });
  }
  return { params, state: new StateReader(kind, top['state']) };
}

/** Typed access to the fields of a snapshot's `state`, failing with the field's name. */
export class StateReader {
  private readonly fields: Record<string, unknown>;

  constructor(
    private readonly kind: string,
    state: unknown,
  ) {
    this.fields = asRecord(state, kind, 'state');
  }

  /** A finite number. */
  num(field: string): number {
    const v = this.fields[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.bad(field, 'a finite number', v);
    return v;
  }

  /** A finite number, or null where the live value is a sentinel JSON cannot hold (Infinity). */
  numOrNull(field: string): number | null {
    return this.fields[field] === null ? null : this.num(field);
  }

  bool(field: string): boolean {
    const v = this.fields[field];
    if (typeof v !== 'boolean') throw this.bad(field, 'a boolean', v);
    return v;
  }

  /** An array of finite numbers. */
  nums(field: string): number[] {
    const v = this.fields[field];
    if (!Array.isArray(v) || !v.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw this.bad(field, 'an array of finite numbers', v);
    }
    return v as number[];
  }

  /** An array of nested states, each read with its own reader. */
  list(field: string): StateReader[] {
    const v = this.fields[field];
    if (!Array.isArray(v)) throw this.bad(field, 'an array', v);
    return v.map((item, i) => new StateReader(this.kind, asRecord(item, this.kind, `${field}[${i}]`)));
  }

  /** Fail with a message naming the field; for checks that span several fields. */
  bad(field: string, expected: string, got: unknown): InvalidDetectorStateError {
    const shown = JSON.stringify(got) ?? String(got);
    return new InvalidDetectorStateError(
      this.kind,
      field,
      `'${field}' must be ${expected}, got ${shown.slice(0, 80)}`,
    );
  }
}

/** JSON cannot carry Infinity: River's "nothing seen yet" sentinels are stored as null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function asRecord(value: unknown, kind: string, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidDetectorStateError(kind, field, `'${field}' must be an object`);
  }
  return value as Record<string, unknown>;
}
