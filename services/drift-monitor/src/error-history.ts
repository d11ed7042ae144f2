import { normalSf } from '../../core/src/math/special-functions.ts';

/** How a detector's drift is confirmed before the monitor reports it (see ErrorHistory.confirm). */
export interface Confirmation {
  /** Errors seen since the version's start (or the last reported drift) before any drift is reported. */
  minSamples: number;
  /** One-sided significance of the error rise (Bonferroni over the recent lengths). */
  alpha: number;
  /** Lengths of the recent stretch tested against everything before it, ascending. */
  recent: readonly number[];
}

/**
 * Defaults measured with bench/drift-concept.ts: stationary streams of 3,000 errors at rates 0.1-0.3 give
 * far below one reported false alarm per 100 streams, a 10-point rise is still reported within a few
 * hundred errors.
 */
export const DEFAULT_CONFIRMATION: Confirmation = {
  minSamples: 500,
  alpha: 0.0001,
  recent: [100, 200, 400, 800],
};

/** What a confirmation test found: the most significant recent stretch. */
export interface RiseTest {
  confirmed: boolean;
  /** Bonferroni-adjusted one-sided p-value of the rise, 1 when nothing could be tested */
  pValue: number;
  recentCount: number;
  recentMean: number;
  baselineCount: number;
  baselineMean: number;
}

export interface ErrorHistoryJSON {
  recent: number[];
  base: [number, number, number];
  seen: number;
}

/**
 * The errors of one model version since its last reported drift: the last `max(recent)` values whole (a
 * ring), the older ones as count, sum and sum of squares. Pure; bounded memory per version.
 */
export class ErrorHistory {
  /** circular: the value at logical index i (0 = oldest kept) is ring[(start + i) % capacity] */
  private ring: Float64Array;
  private start = 0;
  private size = 0;
  private baseN = 0;
  private baseSum = 0;
  private baseSq = 0;
  /** errors since the last reset */
  seen = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Float64Array(capacity);
  }

  push(x: number): void {
    this.seen += 1;
    if (this.size < this.capacity) {
      this.ring[(this.start + this.size++) % this.capacity] = x;
      return;
    }
    const old = this.ring[this.start] as number;
    this.baseN += 1;
    this.baseSum += old;
    this.baseSq += old * old;
    this.ring[this.start] = x;
    this.start = (this.start + 1) % this.capacity;
  }

  /** The kept values, oldest first. */
  private values(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.ring[(this.start + i) % this.capacity] as number);
    return out;
  }

  /** After a reported drift: the new regime starts from nothing. */
  reset(): void {
    this.start = this.size = 0;
    this.baseN = this.baseSum = this.baseSq = this.seen = 0;
  }

  /**
   * Did the error rise? For each recent length k, the last k errors against all older ones since the reset:
   * a one-sided z-test of the means (pooled two-proportion for 0/1 errors, Welch for absolute errors);
   * confirmed when enough errors were seen and the smallest p-value times the number of lengths is ≤ alpha.
   */
  confirm(c: Confirmation, binary: boolean): RiseTest {
    let best: RiseTest = {
      confirmed: false,
      pValue: 1,
      recentCount: 0,
      recentMean: NaN,
      baselineCount: 0,
      baselineMean: NaN,
    };
    const values = this.values();
    for (const k of c.recent) {
      const older = values.length - k;
      if (older < 0 || this.baseN + older < k) continue;
      const r = moments(values, older, values.length);
      const o = moments(values, 0, older);
      const b = { n: this.baseN + o.n, sum: this.baseSum + o.sum, sq: this.baseSq + o.sq };
      const p = Math.min(1, risePValue(r, b, binary) * c.recent.length);
      if (p < best.pValue)
        best = {
          confirmed: false,
          pValue: p,
          recentCount: r.n,
          recentMean: r.sum / r.n,
          baselineCount: b.n,
          baselineMean: b.sum / b.n,
        };
    }
    best.confirmed = this.seen >= c.minSamples && best.pValue <= c.alpha;
    return best;
  }

  toJSON(): ErrorHistoryJSON {
    return { recent: this.values(), base: [this.baseN, this.baseSum, this.baseSq], seen: this.seen };
  }

  static fromJSON(json: ErrorHistoryJSON | undefined, capacity: number): ErrorHistory {
    const h = new ErrorHistory(capacity);
    if (json === undefined) return h;
    for (const v of json.recent.slice(-capacity)) h.push(v);
    [h.baseN, h.baseSum, h.baseSq] = json.base;
    h.seen = json.seen;
    return h;
  }
}

interface Moments {
  n: number;
  sum: number;
  sq: number;
}

function moments(values: readonly number[], from: number, to: number): Moments {
  let sum = 0;
  let sq = 0;
  for (let i = from; i < to; i++) {
    const v = values[i] as number;
    sum += v;
    sq += v * v;
  }
  return { n: to - from, sum, sq };
}

/** One-sided p-value that the recent mean exceeds the baseline mean. */
function risePValue(r: Moments, b: Moments, binary: boolean): number {
  const mr = r.sum / r.n;
  const mb = b.sum / b.n;
  let se: number;
  if (binary) {
    const pooled = (r.sum + b.sum) / (r.n + b.n);
    se = Math.sqrt(pooled * (1 - pooled) * (1 / r.n + 1 / b.n));
  } else {
    const vr = Math.max(0, r.sq / r.n - mr * mr) * (r.n / Math.max(1, r.n - 1));
    const vb = Math.max(0, b.sq / b.n - mb * mb) * (b.n / Math.max(1, b.n - 1));
    se = Math.sqrt(vr / r.n + vb / b.n);
  }
  if (!(se > 0)) return mr > mb ? 0 : 1;
  return normalSf((mr - mb) / se);
}
