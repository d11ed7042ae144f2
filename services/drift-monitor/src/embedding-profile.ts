import {
  calibrateEmbedding,
  type EmbeddingCalibrationJSON,
} from '../../core/src/stats/embedding-calibration.ts';
import {
  RandomFourierFeatures,
  medianBandwidth,
  type RandomFourierJSON,
} from '../../core/src/stats/random-fourier-features.ts';
import { fnv1a } from './closer.ts';

/**
 * Random features per embedding: enough for the MMD to see a shift of the mean along a few directions (see
 * test/unit/drift-monitor/embeddings.test.ts), few enough that a 384-d vector costs 64 dot products.
 */
export const EMBEDDING_FEATURES = 64;
/** Fewer reference vectors than this give no calibration worth trusting: the embedding is not tested. */
export const MIN_EMBEDDING_VECTORS = 100;

/** The stored reference of one embedding (reference_profiles.profile.embeddings[]). */
export interface EmbeddingProfileJSON {
  name: string;
  count: number;
  mean: number[];
  feature_mean: number[];
  rff: RandomFourierJSON;
  calibration: EmbeddingCalibrationJSON;
}

/** A loaded embedding reference. */
export interface EmbeddingProfile {
  name: string;
  count: number;
  mean: Float64Array;
  featureMean: Float64Array;
  rff: RandomFourierFeatures;
  calibration: EmbeddingCalibrationJSON;
}

/**
 * The reference of one embedding: its mean vector, the mean of its random Fourier features (Gaussian kernel,
 * median-distance bandwidth, a seed from the name) and the thresholds calibrated on it by permutation.
 * Vectors of another length than the most common one, or with a non-finite value, are left out. Returns
 * undefined with fewer than MIN_EMBEDDING_VECTORS usable vectors.
 */
export function buildEmbedding(
  name: string,
  vectors: readonly ArrayLike<number>[],
): EmbeddingProfile | undefined {
  const lengths = new Map<number, number>();
  for (const v of vectors) lengths.set(v.length, (lengths.get(v.length) ?? 0) + 1);
  const dim = [...lengths].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  const usable = vectors.filter((v) => v.length === dim && Array.prototype.every.call(v, Number.isFinite));
  if (dim === 0 || usable.length < MIN_EMBEDDING_VECTORS) return undefined;
  const seed = fnv1a(name);
  const rff = new RandomFourierFeatures(dim, EMBEDDING_FEATURES, medianBandwidth(usable, seed), seed);
  const features = usable.map((v) => {
    const f = new Float64Array(EMBEDDING_FEATURES);
    rff.addTo(v, f);
    return f;
  });
  const mean = new Float64Array(dim);
  const featureMean = new Float64Array(EMBEDDING_FEATURES);
  for (const v of usable)
    for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) + (v[i] as number) / usable.length;
  for (const f of features)
    for (let j = 0; j < f.length; j++)
      featureMean[j] = (featureMean[j] as number) + (f[j] as number) / usable.length;
  const calibration = calibrateEmbedding(usable, features, { seed });
  return { name, count: usable.length, mean, featureMean, rff, calibration };
}

export function embeddingToJSON(e: EmbeddingProfile): EmbeddingProfileJSON {
  return {
    name: e.name,
    count: e.count,
    mean: Array.from(e.mean),
    feature_mean: Array.from(e.featureMean),
    rff: e.rff.toJSON(),
    calibration: e.calibration,
  };
}

export function embeddingFromJSON(json: EmbeddingProfileJSON): EmbeddingProfile {
  return {
    name: json.name,
    count: json.count,
    mean: Float64Array.from(json.mean),
    featureMean: Float64Array.from(json.feature_mean),
    rff: RandomFourierFeatures.fromJSON(json.rff),
    calibration: json.calibration,
  };
}
