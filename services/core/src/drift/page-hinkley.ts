import { DriftDetector } from './detector.ts';
import type { DetectorSnapshot } from './detector.ts';
import { resolveParams } from './params.ts';
import type { ParamRules } from './params.ts';
import { finiteOrNull, openSnapshot } from './snapshot.ts';

/** Parameters of {@link PageHinkley}; names follow River's, in camelCase. */
export interface PageHinkleyParams {
  /**
   * Number of values to see before a drift may be signalled.
   * @default 30
   */
  readonly minInstances: number;
  /**
   * Magnitude of change tolerated: subtracted from (added to) every deviation before summing.
   * @default 0.005
   */
  readonly delta: number;
  /**
   * Drift threshold (lambda) on the cumulative deviation.
   * @default 50
   */
  readonly threshold: number;
  /**
   * Forgetting factor applied to the cumulative sums at every step.
   * @default 0.9999
   */
  readonly alpha: number;
  /**
   * Which changes of the mean to detect: increases, decreases or both.
   * @default 'both'
   */
  readonly mode: 'up' | 'down' | 'both';
}

/** Parameter table: defaults and valid ranges (checked by the constructor and the registry). */
export const PAGE_HINKLEY_PARAMS: ParamRules<PageHinkleyParams> = {
  minInstances: { kind: 'number', default: 30, integer: true, min: 1 },
  delta: { kind: 'number', default: 0.005, min: 0 },
  threshold: { kind: 'number', default: 50, min: 0, exclusiveMin: true },
  alpha: { kind: 'number', default: 1 - 0.0001, min: 0, max: 1, exclusiveMin: true },
  mode: { kind: 'enum', default: 'both', values: ['up', 'down', 'both'] },
};

/** Serialised state of {@link PageHinkley}. */
export interface PageHinkleyState {
  readonly driftDetected: boolean;
  /** Count and running mean of the values seen since the last reset. */
  readonly n: number;
  readonly mean: number;
  readonly sumIncrease: number;
  readonly sumDecrease: number;
  /** Minimum of `sumIncrease`; null before the first value (River starts it at +Infinity). */
  readonly minIncrease: number | null;
  readonly maxDecrease: number;
}

export type PageHinkleySnapshot = DetectorSnapshot<'page_hinkley', PageHinkleyParams, PageHinkleyState>;

/**
 * Page-Hinkley test: a CUSUM on the deviations of each value from the running mean, with a
 * forgetting factor, signalling when the cumulative deviation departs from its extreme by more
 * than `threshold`. Reproduces `river.drift.PageHinkley` (River 0.26) operation for operation.
 *
 * References: E. S. Page, "Continuous Inspection Schemes", Biometrika 41(1/2):100–115, 1954;
 * D. V. Hinkley, "Inference about the change-point from cumulative sum tests", Biometrika
 * 58(3):509–523, 1971.
 *
 * @param params - see {@link PageHinkleyParams}; omitted fields take their defaults
 * @throws InvalidDetectorParamError (not retriable) on an unknown or out-of-range param
 *
 * @example
 * River's docstring stream (Python `random.Random(12345)`: 1000 draws from [0, 1], then 1000 from
 * range(4, 8); stored in `test/fixtures/drift/river-docstring-12345.json`):
 * ```ts
 * const ph = new PageHinkley();
 * const fired = values.flatMap((x, i) => (ph.update(x).driftDetected ? [i] : []));
 * // fired → [1006], as River prints "Change detected at index 1006"
 * ```
 */
export class PageHinkley extends DriftDetector<number> {
  readonly kind = 'page_hinkley';
  readonly params: PageHinkleyParams;
  private n = 0;
  private mean = 0;
  private sumIncrease = 0;
  private sumDecrease = 0;
  private minIncrease = Infinity;
  // River starts the maximum at -1, not -Infinity; kept so detections match.
  private maxDecrease = -1;

  constructor(params?: Partial<PageHinkleyParams>) {
    super();
    this.params = resolveParams('page_hinkley', PAGE_HINKLEY_PARAMS, params);
  }

  override reset(): void {
    super.reset();
    this.n = 0;
    this.mean = 0;
    this.sumIncrease = 0;
    this.sumDecrease = 0;
    this.minIncrease = Infinity;
    this.maxDecrease = -1;
  }

  protected observe(x: number): void {
    const { alpha, delta, threshold, minInstances, mode } = this.params;
    // Same update as river.stats.Mean, (1/n)·(x − mean): the rounding must match River's.
    this.n += 1;
    this.mean += (1 / this.n) * (x - this.mean);
    const dev = x - this.mean;
    this.sumIncrease = alpha * this.sumIncrease + dev - delta;
    this.sumDecrease = alpha * this.sumDecrease + dev + delta;
    if (this.sumIncrease < this.minIncrease) this.minIncrease = this.sumIncrease;
    if (this.sumDecrease > this.maxDecrease) this.maxDecrease = this.sumDecrease;
    if (this.n < minInstances) return;
    const up = mode !== 'down' && this.sumIncrease - this.minIncrease > threshold;
    const down = mode !== 'up' && this.maxDecrease - this.sumDecrease > threshold;
    this.drift = up || down;
  }

  toJSON(): PageHinkleySnapshot {
    return {
      kind: 'page_hinkley',
      version: 1,
      params: { ...this.params },
      state: {
        driftDetected: this.drift,
        n: this.n,
        mean: this.mean,
        sumIncrease: this.sumIncrease,
        sumDecrease: this.sumDecrease,
        minIncrease: finiteOrNull(this.minIncrease),
        maxDecrease: this.maxDecrease,
      },
    };
  }

  /**
   * Rebuild a detector from `toJSON()` output (possibly after a JSON round trip).
   * @throws InvalidDetectorStateError (not retriable) if the snapshot is malformed
   */
  static fromJSON(json: unknown): PageHinkley {
    const { params, state } = openSnapshot(json, 'page_hinkley', PAGE_HINKLEY_PARAMS);
    const d = new PageHinkley(params);
    d.drift = state.bool('driftDetected');
    d.n = state.num('n');
    d.mean = state.num('mean');
    d.sumIncrease = state.num('sumIncrease');
    d.sumDecrease = state.num('sumDecrease');
    d.minIncrease = state.numOrNull('minIncrease') ?? Infinity;
    d.maxDecrease = state.num('maxDecrease');
    return d;
  }
}
