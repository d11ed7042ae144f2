/**
 * Count, mean and sum of squared deviations (M2) of a stream, updated with Welford's method and
 * merged with Chan, Golub and LeVeque's pairwise formula ("Updating formulae and a pairwise
 * algorithm for computing sample variances", 1979), so that merging partial states gives the same
 * variance as one pass, within rounding, without the cancellation of Σx² − n·mean².
 */

/** Relative size below which a difference of sums is rounding noise. */
const TINY = 64 * Number.EPSILON;

/** Plain-data form of a {@link RunningMoments}. */
export interface RunningMomentsJson {
  readonly count: number;
  readonly mean: number;
  readonly m2: number;
}

/** Welford/Chan accumulator of count, mean and M2 = Σ (x − mean)². */
export class RunningMoments {
  count = 0;
  mean = 0;
  m2 = 0;

  /** Adds one observation. */
  update(x: number): void {
    this.count += 1;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
  }

  /** Adds every observation of `other` (Chan et al.); `other` is left unchanged. */
  merge(other: RunningMomentsJson): this {
    if (other.count === 0) return this;
    if (this.count === 0) {
      this.count = other.count;
      this.mean = other.mean;
      this.m2 = other.m2;
      return this;
    }
    const count = this.count + other.count;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.count) / count;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / count;
    this.count = count;
    return this;
  }

  /**
   * Takes out every observation of `other`, which this must hold (e.g. it was merged in before): Chan's
   * formula solved for the other part. Back to exactly 0/0/0 when nothing is left; a sum or M2 within
   * rounding of 0 (relative to Σx, Σx² before) becomes 0, so a constant remainder has a variance of 0.
   * @throws {RangeError} when `other` holds more observations than this
   */
  subtract(other: RunningMomentsJson): this {
    if (other.count === 0) return this;
    const count = this.count - other.count;
    if (count < 0) throw new RangeError(`cannot take ${other.count} observations out of ${this.count}`);
    if (count === 0) {
      this.count = 0;
      this.mean = 0;
      this.m2 = 0;
      return this;
    }
    const sum = this.count * this.mean - other.count * other.mean;
    // A remainder within rounding of 0 is 0: otherwise e.g. errors that are all 0 would leave a
    // residue that turns R² of a perfect prediction from 1 into 0.
    const mean = Math.abs(sum) <= TINY * Math.abs(this.count * this.mean) ? 0 : sum / count;
    const delta = other.mean - mean;
    const m2 = this.m2 - other.m2 - (delta * delta * count * other.count) / this.count;
    this.m2 = m2 <= TINY * (this.m2 + this.count * this.mean * this.mean) ? 0 : m2;
    this.mean = mean;
    this.count = count;
    return this;
  }

  /** Σ x. */
  get sum(): number {
    return this.mean * this.count;
  }

  /** Σ x² = M2 + n·mean². */
  get sumOfSquares(): number {
    return this.m2 + this.count * this.mean * this.mean;
  }

  /** Sample variance (ddof = 1); NaN when count < 2. */
  get sampleVariance(): number {
    return this.count < 2 ? Number.NaN : this.m2 / (this.count - 1);
  }

  toJSON(): RunningMomentsJson {
    return { count: this.count, mean: this.mean, m2: this.m2 };
  }

  static fromJSON(json: RunningMomentsJson): RunningMoments {
    const moments = new RunningMoments();
    return moments.merge(json);
  }
}
