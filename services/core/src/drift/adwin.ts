import { AdwinWindow } from './adwin-window.ts';
import type { AdwinWindowState, BucketRow } from './adwin-window.ts';
import { DriftDetector } from './detector.ts';
import type { DetectorSnapshot } from './detector.ts';
import { resolveParams } from './params.ts';
import type { ParamRules } from './params.ts';
import { openSnapshot } from './snapshot.ts';

/** Parameters of {@link ADWIN}; names follow River's, in camelCase. */
export interface AdwinParams {
  /**
   * Confidence of the cut test: smaller means fewer false alarms and slower detection.
   * @default 0.002
   */
  readonly delta: number;
  /**
   * Check for a change once every `clock` updates; 1 checks on every value.
   * @default 32
   */
  readonly clock: number;
  /**
   * Buckets kept per size before two are merged (the ADWIN2 compression); at least 2.
   * @default 5
   */
  readonly maxBuckets: number;
  /**
   * Sub-windows shorter than this are not tested.
   * @default 5
   */
  readonly minWindowLength: number;
  /**
   * No change is tested until the window holds more than this many values.
   * @default 10
   */
  readonly gracePeriod: number;
}

/** Parameter table: defaults and valid ranges (checked by the constructor and the registry). */
export const ADWIN_PARAMS: ParamRules<AdwinParams> = {
  delta: { kind: 'number', default: 0.002, min: 0, max: 1, exclusiveMin: true, exclusiveMax: true },
  clock: { kind: 'number', default: 32, integer: true, min: 1 },
  // River accepts 1, but then merging leaves empty rows behind and River 0.26 panics on a later
  // cut ("slice index starts at 1 but ends at 0"); from 2 up every row stays non-empty.
  maxBuckets: { kind: 'number', default: 5, integer: true, min: 2 },
  // At least 1, so a cut always leaves a non-empty newer sub-window after dropping old buckets.
  minWindowLength: { kind: 'number', default: 5, integer: true, min: 1 },
  gracePeriod: { kind: 'number', default: 10, integer: true, min: 0 },
};

/** Serialised state of {@link ADWIN}. */
export interface AdwinState extends AdwinWindowState {
  readonly driftDetected: boolean;
  /** Updates since the last reset, for the `clock` schedule. */
  readonly tick: number;
}

export type AdwinSnapshot = DetectorSnapshot<'adwin', AdwinParams, AdwinState>;

/**
 * ADaptive WINdowing: keeps a window of recent values and drops its older part whenever some
 * split into an older and a newer sub-window shows means that differ by more than a Hoeffding-
 * style bound at confidence `delta`. Reproduces `river.drift.ADWIN` (River 0.26, whose engine is
 * the port of River's `adwin_c.pyx`) operation for operation, including River's choice to reset
 * the whole detector on the update after a drift.
 *
 * Reference: A. Bifet, R. Gavaldà, "Learning from Time-Changing Data with Adaptive Windowing",
 * SIAM International Conference on Data Mining (SDM) 2007, pp. 443–448.
 *
 * @param params - see {@link AdwinParams}; omitted fields take their defaults
 * @throws InvalidDetectorParamError (not retriable) on an unknown or out-of-range param
 *
 * @example
 * River's docstring stream (Python `random.Random(12345)`: 1000 draws from [0, 1], then 1000 from
 * range(4, 8); stored in `test/fixtures/drift/river-docstring-12345.json`):
 * ```ts
 * const adwin = new ADWIN();
 * const fired = values.flatMap((x, i) => (adwin.update(x).driftDetected ? [i] : []));
 * // fired → [1023], as River prints "Change detected at index 1023"
 * ```
 */
export class ADWIN extends DriftDetector<number> {
  readonly kind = 'adwin';
  readonly params: AdwinParams;
  private window: AdwinWindow;
  private tick = 0;

  constructor(params?: Partial<AdwinParams>) {
    super();
    this.params = resolveParams('adwin', ADWIN_PARAMS, params);
    this.window = new AdwinWindow(this.params.maxBuckets);
  }

  /** Number of values in the current window. */
  get width(): number {
    return this.window.width;
  }

  /** Sum of the values in the window. */
  get total(): number {
    return this.window.total;
  }

  /** Mean of the window (0 when empty). */
  get estimation(): number {
    return this.window.width === 0 ? 0 : this.window.total / this.window.width;
  }

  /**
   * Population variance of the window (0 when empty). Unlike River's `ADWIN.variance`, which
   * returns the unnormalised sum of squared deviations, this is divided by `width`.
   */
  get variance(): number {
    return this.window.width === 0 ? 0 : this.window.variance / this.window.width;
  }

  override reset(): void {
    super.reset();
    this.window = new AdwinWindow(this.params.maxBuckets);
    this.tick = 0;
  }

  protected observe(x: number): void {
    this.window.insert(x);
    this.tick += 1;
    if (this.tick % this.params.clock !== 0 || this.window.width <= this.params.gracePeriod) return;
    // Each cut drops the oldest bucket, then the scan restarts on the shrunk window.
    while (this.cutOldest()) this.drift = true;
  }

  /**
   * Scan every split point, oldest data first; on the first significant one, drop the oldest
   * bucket and return true. The newest bucket is never a split point (W1 would be empty).
   */
  private cutOldest(): boolean {
    const w = this.window;
    const { minWindowLength: minLen, delta } = this.params;
    // Constant within one scan: hoisted out of River's per-split cut test (same values).
    const deltaPrime = Math.log((2 * Math.log(w.width)) / delta);
    const varianceInWindow = w.variance / w.width;
    let n0 = 0;
    let n1 = w.width;
    let u0 = 0;
    let u1 = w.total;
    for (let idx = w.rows.length - 1; idx >= 0; idx--) {
      const row = w.rows[idx] as BucketRow;
      const size = 2 ** idx;
      for (let k = 0; k < row.count; k++) {
        const t = row.totals[k] as number;
        n0 += size;
        n1 -= size;
        u0 += t;
        u1 -= t;
        if (idx === 0 && k === row.count - 1) return false;
        if (n1 < minLen || n0 < minLen) continue;
        const mRecip = 1 / (n0 - minLen + 1) + 1 / (n1 - minLen + 1);
        const epsilon = Math.sqrt(2 * mRecip * varianceInWindow * deltaPrime) + (2 / 3) * deltaPrime * mRecip;
        if (Math.abs(u0 / n0 - u1 / n1) > epsilon) {
          w.deleteOldest();
          return true;
        }
      }
    }
    return false;
  }

  toJSON(): AdwinSnapshot {
    return {
      kind: 'adwin',
      version: 1,
      params: { ...this.params },
      state: { driftDetected: this.drift, tick: this.tick, ...this.window.toJSON() },
    };
  }

  /**
   * Rebuild a detector from `toJSON()` output (possibly after a JSON round trip).
   * @throws InvalidDetectorStateError (not retriable) if the snapshot is malformed
   */
  static fromJSON(json: unknown): ADWIN {
    const { params, state } = openSnapshot(json, 'adwin', ADWIN_PARAMS);
    const d = new ADWIN(params);
    d.drift = state.bool('driftDetected');
    d.tick = state.num('tick');
    d.window = AdwinWindow.fromState(state, params.maxBuckets);
    return d;
  }
}
