import { DriftDetector } from './detector.ts';
import type { DetectorSnapshot } from './detector.ts';
import { resolveParams } from './params.ts';
import type { ParamRules } from './params.ts';
import { openSnapshot } from './snapshot.ts';

/** {@link NoDrift} takes no parameters. */
export type NoDriftParams = Record<string, never>;

export const NO_DRIFT_PARAMS: ParamRules<NoDriftParams> = {};

export type NoDriftSnapshot = DetectorSnapshot<'no_drift', NoDriftParams, Record<string, never>>;

/**
 * The null detector, as `river.drift.NoDrift`: accepts any value and never signals. Use it to
 * switch drift detection off for a model without special-casing the caller.
 *
 * @example
 * ```ts
 * const off = new NoDrift();
 * [0, 1, 100, -5].some((x) => off.update(x).driftDetected); // false
 * ```
 */
export class NoDrift extends DriftDetector<number> {
  readonly kind = 'no_drift';

  constructor(params?: Partial<NoDriftParams>) {
    super();
    // Validated anyway so that a misspelt config is reported, not silently ignored.
    resolveParams('no_drift', NO_DRIFT_PARAMS, params);
  }

  protected observe(_x: number): void {
    // Nothing to track: a null detector has no state.
  }

  toJSON(): NoDriftSnapshot {
    return { kind: 'no_drift', version: 1, params: {}, state: {} };
  }

  /** @throws InvalidDetectorStateError (not retriable) if the snapshot is not a NoDrift one */
  static fromJSON(json: unknown): NoDrift {
    openSnapshot(json, 'no_drift', NO_DRIFT_PARAMS);
    return new NoDrift();
  }
}
