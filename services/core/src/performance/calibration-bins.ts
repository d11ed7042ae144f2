/**
 * Mergeable state for the expected calibration error (Guo et al., "On Calibration of Modern Neural
 * Networks", ICML 2017): equal-width bins over the top-class confidence, each holding the number
 * of samples, the sum of confidences and the number of correct top-class predictions.
 *
 * Bin b covers [b/B, (b+1)/B); the last bin also holds confidence 1. ECE = Σ_b |correct_b − Σconf_b| / N,
 * which equals Σ_b (n_b/N)·|acc_b − conf_b|.
 */
import { expectCount, expectNumbers, expectRecord } from './json-guards.ts';
import { InvalidStateJsonError } from './errors.ts';

/** Plain-data form of {@link CalibrationBins}. */
export interface CalibrationBinsJson {
  readonly count: readonly number[];
  readonly confidenceSum: readonly number[];
  readonly correctCount: readonly number[];
}

/** Per-bin counts, confidence sums and correct counts for ECE. */
export class CalibrationBins {
  readonly count: Float64Array;
  readonly confidenceSum: Float64Array;
  readonly correctCount: Float64Array;

  /** @param bins - number of equal-width bins on [0, 1] */
  constructor(readonly bins: number) {
    this.count = new Float64Array(bins);
    this.confidenceSum = new Float64Array(bins);
    this.correctCount = new Float64Array(bins);
  }

  /**
   * Records one sample with top-class confidence in [0, 1]; `weight` −1 retracts a sample recorded before.
   * A bin whose count returns to 0 gets a confidence sum of exactly 0 (no float residue).
   */
  update(confidence: number, correct: boolean, weight: 1 | -1 = 1): void {
    const bin = Math.min(Math.floor(confidence * this.bins), this.bins - 1);
    const n = (this.count[bin] ?? 0) + weight;
    this.count[bin] = n;
    this.confidenceSum[bin] = n === 0 ? 0 : (this.confidenceSum[bin] ?? 0) + weight * confidence;
    if (correct) this.correctCount[bin] = (this.correctCount[bin] ?? 0) + weight;
  }

  /**
   * Adds the bins of `other` (`sign` −1: subtracts them), which must have the same number of bins (checked
   * by the owner).
   */
  merge(other: CalibrationBins, sign: 1 | -1 = 1): void {
    for (let b = 0; b < this.bins; b++) {
      const n = (this.count[b] ?? 0) + sign * (other.count[b] ?? 0);
      this.count[b] = n;
      this.confidenceSum[b] =
        n === 0 ? 0 : (this.confidenceSum[b] ?? 0) + sign * (other.confidenceSum[b] ?? 0);
      this.correctCount[b] = (this.correctCount[b] ?? 0) + sign * (other.correctCount[b] ?? 0);
    }
  }

  /** Expected calibration error over all recorded samples; null when there are none. */
  expectedCalibrationError(): number | null {
    let total = 0;
    let gap = 0;
    for (let b = 0; b < this.bins; b++) {
      total += this.count[b] ?? 0;
      gap += Math.abs((this.correctCount[b] ?? 0) - (this.confidenceSum[b] ?? 0));
    }
    return total === 0 ? null : gap / total;
  }

  toJSON(): CalibrationBinsJson {
    return {
      count: Array.from(this.count),
      confidenceSum: Array.from(this.confidenceSum),
      correctCount: Array.from(this.correctCount),
    };
  }

  /** @throws {InvalidStateJsonError} on a malformed snapshot (not retriable) */
  static fromJSON(value: unknown, bins: number, path: string): CalibrationBins {
    const json = expectRecord(value, path);
    const result = new CalibrationBins(bins);
    const count = expectNumbers(json['count'], `${path}.count`, bins);
    const correct = expectNumbers(json['correctCount'], `${path}.correctCount`, bins);
    result.confidenceSum.set(expectNumbers(json['confidenceSum'], `${path}.confidenceSum`, bins));
    count.forEach((n, b) => {
      const k = expectCount(correct[b], `${path}.correctCount[${b}]`);
      if (expectCount(n, `${path}.count[${b}]`) < k)
        throw new InvalidStateJsonError(path, 'correctCount ≤ count');
    });
    result.count.set(count);
    result.correctCount.set(correct);
    return result;
  }
}
