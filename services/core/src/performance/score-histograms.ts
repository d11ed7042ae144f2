/**
 * Per-class histograms of a class's score over fixed equal-width bins on [0, 1], split into samples
 * of that class (positives) and of any other class (negatives): the mergeable state behind the
 * one-vs-rest ROC AUC (see {@link binnedRocAuc}). Bin b covers [b/B, (b+1)/B); score 1 falls in the
 * last bin. Counts are integers held in float64, exact up to 2^53 samples.
 */
import { expectArray, expectIndexedCounts, expectRecord } from './json-guards.ts';
import { InvalidStateJsonError } from './errors.ts';

/** Non-empty bins as `[bin, count]` pairs, in increasing bin order. */
export type SparseBins = readonly (readonly [number, number])[];

/** Plain-data form of {@link ScoreHistograms}: one sparse histogram per class index. */
export interface ScoreHistogramsJson {
  readonly positive: readonly SparseBins[];
  readonly negative: readonly SparseBins[];
}

/** Positive and negative score histograms for each class of a growing class list. */
export class ScoreHistograms {
  readonly positive: Float64Array[] = [];
  readonly negative: Float64Array[] = [];

  /** @param bins - number of equal-width bins on [0, 1] */
  constructor(readonly bins: number) {}

  /**
   * Appends a class. Samples scored before it existed gave it score 0 and were not of that class,
   * so they are counted as negatives in bin 0: this keeps late-appearing classes exact.
   */
  addClass(earlierSamples: number): void {
    const negative = new Float64Array(this.bins);
    negative[0] = earlierSamples;
    this.positive.push(new Float64Array(this.bins));
    this.negative.push(negative);
  }

  /**
   * Records the score of class `classIndex` for one sample (positive when the sample is of that class);
   * `weight` −1 retracts one recorded before.
   */
  record(classIndex: number, score: number, isPositive: boolean, weight: 1 | -1 = 1): void {
    const histogram = isPositive ? this.positive[classIndex] : this.negative[classIndex];
    if (histogram === undefined) return;
    const bin = Math.min(Math.floor(score * this.bins), this.bins - 1);
    histogram[bin] = (histogram[bin] ?? 0) + weight;
  }

  /** Adds `negatives` samples with score 0 (a merged partner's samples that never scored this class). */
  addZeroScoreNegatives(classIndex: number, negatives: number): void {
    const histogram = this.negative[classIndex];
    if (histogram !== undefined) histogram[0] = (histogram[0] ?? 0) + negatives;
  }

  /** Adds class `from` of `other` into class `to` of this (`sign` −1: subtracts it). */
  mergeClass(to: number, other: ScoreHistograms, from: number, sign: 1 | -1 = 1): void {
    addInto(this.positive[to], other.positive[from], sign);
    addInto(this.negative[to], other.negative[from], sign);
  }

  toJSON(): ScoreHistogramsJson {
    return { positive: this.positive.map(toSparse), negative: this.negative.map(toSparse) };
  }

  /** @throws {InvalidStateJsonError} on a malformed snapshot (not retriable) */
  static fromJSON(value: unknown, classCount: number, bins: number, path: string): ScoreHistograms {
    const json = expectRecord(value, path);
    const result = new ScoreHistograms(bins);
    const positive = expectArray(json['positive'], `${path}.positive`);
    const negative = expectArray(json['negative'], `${path}.negative`);
    if (positive.length !== classCount || negative.length !== classCount) {
      throw new InvalidStateJsonError(path, `one histogram per label (${classCount})`);
    }
    for (let c = 0; c < classCount; c++) {
      result.positive.push(fromSparse(positive[c], bins, `${path}.positive[${c}]`));
      result.negative.push(fromSparse(negative[c], bins, `${path}.negative[${c}]`));
    }
    return result;
  }
}

function addInto(target: Float64Array | undefined, source: Float64Array | undefined, sign: 1 | -1): void {
  if (target === undefined || source === undefined) return;
  for (let b = 0; b < target.length; b++) target[b] = (target[b] ?? 0) + sign * (source[b] ?? 0);
}

function toSparse(histogram: Float64Array): [number, number][] {
  const pairs: [number, number][] = [];
  histogram.forEach((count, bin) => {
    if (count !== 0) pairs.push([bin, count]);
  });
  return pairs;
}

function fromSparse(value: unknown, bins: number, path: string): Float64Array {
  const histogram = new Float64Array(bins);
  for (const [bin, count] of expectIndexedCounts(value, path, [bins, Infinity])) {
    if (bin !== undefined && count !== undefined) histogram[bin] = (histogram[bin] ?? 0) + count;
  }
  return histogram;
}
