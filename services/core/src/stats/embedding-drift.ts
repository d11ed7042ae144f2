import { StatsError } from './errors.ts';
import type { RandomFourierFeatures } from './random-fourier-features.ts';

/** The three distances between a window of embeddings and the reference. */
export const EMBEDDING_STATISTICS = ['mmd', 'mean_euclidean', 'mean_cosine'] as const;
export type EmbeddingStatistic = (typeof EMBEDDING_STATISTICS)[number];

/** The stored window state of one embedding: sums only, never a vector of an event. */
export interface EmbeddingStateJSON {
  n: number;
  /** events without a usable vector (absent, another length, a non-finite value) */
  missing: number;
  sum: number[];
  feature_sum: number[];
}

/**
 * The mergeable state of one embedding over a window: the count, the sum of the vectors and the sum of their
 * random Fourier features. Merging two states gives the state of their union (sums to rounding).
 */
export class EmbeddingWindowState {
  n = 0;
  missing = 0;
  readonly sum: Float64Array;
  readonly featureSum: Float64Array;

  constructor(readonly rff: RandomFourierFeatures) {
    this.sum = new Float64Array(rff.dim);
    this.featureSum = new Float64Array(rff.features);
  }

  /** Adds one event's vector; anything but `dim` finite numbers counts as missing. */
  update(vector: unknown): void {
    if (!Array.isArray(vector) && !ArrayBuffer.isView(vector)) {
      this.missing += 1;
      return;
    }
    const v = vector as ArrayLike<number>;
    const { sum } = this;
    if (v.length !== sum.length) {
      this.missing += 1;
      return;
    }
    for (let i = 0; i < v.length; i++)
      if (!Number.isFinite(v[i])) {
        this.missing += 1;
        return;
      }
    for (let i = 0; i < v.length; i++) sum[i] = (sum[i] as number) + (v[i] as number);
    this.rff.addTo(v, this.featureSum);
    this.n += 1;
  }

  merge(other: EmbeddingWindowState): this {
    if (other.sum.length !== this.sum.length || other.featureSum.length !== this.featureSum.length)
      throw new StatsError('cannot merge embedding states of different dimensions');
    this.n += other.n;
    this.missing += other.missing;
    for (let i = 0; i < this.sum.length; i++)
      this.sum[i] = (this.sum[i] as number) + (other.sum[i] as number);
    for (let j = 0; j < this.featureSum.length; j++)
      this.featureSum[j] = (this.featureSum[j] as number) + (other.featureSum[j] as number);
    return this;
  }

  toJSON(): EmbeddingStateJSON {
    return {
      n: this.n,
      missing: this.missing,
      sum: Array.from(this.sum),
      feature_sum: Array.from(this.featureSum),
    };
  }

  static fromJSON(json: EmbeddingStateJSON, rff: RandomFourierFeatures): EmbeddingWindowState {
    const s = new EmbeddingWindowState(rff);
    if (json?.sum?.length !== s.sum.length || json.feature_sum?.length !== s.featureSum.length)
      throw new StatsError(`malformed embedding state for ${rff.dim} dimensions`);
    s.n = json.n;
    s.missing = json.missing;
    s.sum.set(json.sum);
    s.featureSum.set(json.feature_sum);
    return s;
  }
}

/** The reference side of the distances: the mean vector and the mean random features. */
export interface EmbeddingReferenceMeans {
  mean: ArrayLike<number>;
  featureMean: ArrayLike<number>;
}

/**
 * The three distances of a window (given by its sums over n vectors) from the reference: `mmd`, the
 * distance between mean random features (√ of the biased squared-MMD estimate under the approximate kernel);
 * `mean_euclidean`, the distance between the mean vectors; `mean_cosine`, 1 − their cosine similarity.
 */
export function embeddingDistances(
  sum: ArrayLike<number>,
  featureSum: ArrayLike<number>,
  n: number,
  reference: EmbeddingReferenceMeans,
): Record<EmbeddingStatistic, number> {
  let squared = 0;
  let dot = 0;
  let windowNorm = 0;
  let referenceNorm = 0;
  for (let i = 0; i < sum.length; i++) {
    const w = (sum[i] as number) / n;
    const r = reference.mean[i] as number;
    squared += (w - r) ** 2;
    dot += w * r;
    windowNorm += w * w;
    referenceNorm += r * r;
  }
  let mmd = 0;
  for (let j = 0; j < featureSum.length; j++)
    mmd += ((featureSum[j] as number) / n - (reference.featureMean[j] as number)) ** 2;
  const norms = Math.sqrt(windowNorm * referenceNorm);
  return {
    mmd: Math.sqrt(mmd),
    mean_euclidean: Math.sqrt(squared),
    mean_cosine: norms > 0 ? 1 - dot / norms : 0,
  };
}
