import { embeddingDistances, EMBEDDING_STATISTICS, type EmbeddingStatistic } from './embedding-drift.ts';
import { StatsError } from './errors.ts';
import { mulberry32 } from './random.ts';

/** A stationary window of an embedding is flagged with this probability (per statistic and window). */
export const DEFAULT_EMBEDDING_FALSE_ALARM = 0.01;
/** Random reference windows drawn per calibrated size. */
export const DEFAULT_CALIBRATION_DRAWS = 400;
const SIZES = [25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800];

/** The stored calibration: per window size, the (1 − alpha) quantile of each distance under no drift. */
export interface EmbeddingCalibrationJSON {
  alpha: number;
  draws: number;
  reference_count: number;
  sizes: number[];
  quantiles: Record<EmbeddingStatistic, number[]>;
}

/** How a distance's null spread shrinks with the sample: √ for distances, linear for 1 − cosine. */
const POWER: Record<EmbeddingStatistic, number> = { mmd: 0.5, mean_euclidean: 0.5, mean_cosine: 1 };

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (h - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** Sums of `m` rows drawn without replacement (a partial Fisher-Yates shuffle of `order`). */
function drawSums(
  rows: readonly ArrayLike<number>[],
  order: Uint32Array,
  m: number,
  rng: () => number,
  out: Float64Array,
) {
  out.fill(0);
  for (let k = 0; k < m; k++) {
    const j = k + Math.floor(rng() * (order.length - k));
    const t = order[k] as number;
    order[k] = order[j] as number;
    order[j] = t;
    const row = rows[order[k] as number] as ArrayLike<number>;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (row[i] as number);
  }
}

/**
 * Calibrates the thresholds of an embedding's distances on its reference, by permutation: for window sizes
 * 25, 50, ... up to half the reference, `draws` random reference subsets of that size are compared with the
 * rest of the reference, and the (1 − alpha) quantile of each distance is kept. A stationary window is then
 * flagged with probability about alpha, whatever the embedding's geometry — no constant threshold.
 * @param vectors - the reference vectors
 * @param features - each vector's random Fourier features (same order)
 * @throws StatsError (not retriable) with fewer than 50 reference vectors.
 */
export function calibrateEmbedding(
  vectors: readonly ArrayLike<number>[],
  features: readonly ArrayLike<number>[],
  options: { alpha?: number; draws?: number; seed: number },
): EmbeddingCalibrationJSON {
  const alpha = options.alpha ?? DEFAULT_EMBEDDING_FALSE_ALARM;
  const draws = options.draws ?? DEFAULT_CALIBRATION_DRAWS;
  const n = vectors.length;
  if (n < 50) throw new StatsError('embedding calibration: needs at least 50 reference vectors');
  const dim = (vectors[0] as ArrayLike<number>).length;
  const total = new Float64Array(dim);
  const featureTotal = new Float64Array((features[0] as ArrayLike<number>).length);
  vectors.forEach((v) => total.forEach((s, i) => (total[i] = s + (v[i] as number))));
  features.forEach((f) => featureTotal.forEach((s, j) => (featureTotal[j] = s + (f[j] as number))));
  const rng = mulberry32(options.seed);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const sum = new Float64Array(dim);
  const featureSum = new Float64Array(featureTotal.length);
  const sizes = SIZES.filter((m) => m <= n / 2);
  const quantiles = { mmd: [], mean_euclidean: [], mean_cosine: [] } as Record<EmbeddingStatistic, number[]>;
  for (const m of sizes) {
    const seen = { mmd: [], mean_euclidean: [], mean_cosine: [] } as Record<EmbeddingStatistic, number[]>;
    for (let b = 0; b < draws; b++) {
      drawSums(vectors, order, m, rng, sum);
      const chosen = order.subarray(0, m);
      featureSum.fill(0);
      for (const k of chosen) {
        const f = features[k] as ArrayLike<number>;
        for (let j = 0; j < featureSum.length; j++)
          featureSum[j] = (featureSum[j] as number) + (f[j] as number);
      }
      const rest = {
        mean: total.map((t, i) => (t - (sum[i] as number)) / (n - m)),
        featureMean: featureTotal.map((t, j) => (t - (featureSum[j] as number)) / (n - m)),
      };
      const d = embeddingDistances(sum, featureSum, m, rest);
      for (const s of EMBEDDING_STATISTICS) seen[s].push(d[s]);
    }
    for (const s of EMBEDDING_STATISTICS) quantiles[s].push(quantile(seen[s], 1 - alpha));
  }
  return { alpha, draws, reference_count: n, sizes, quantiles };
}

/**
 * The threshold of a distance for a window of `n` events compared with the whole reference: the calibrated
 * quantile of the nearest calibrated size (in log scale), rescaled by how the null spread depends on the
 * sizes, (1/n + 1/N) against (1/m + 1/(N − m)), to the power ½ for distances and 1 for 1 − cosine.
 */
export function embeddingThreshold(
  c: EmbeddingCalibrationJSON,
  statistic: EmbeddingStatistic,
  n: number,
): number {
  let best = 0;
  c.sizes.forEach((m, i) => {
    if (Math.abs(Math.log(m / n)) < Math.abs(Math.log((c.sizes[best] as number) / n))) best = i;
  });
  const m = c.sizes[best] as number;
  const N = c.reference_count;
  const ratio = (1 / Math.max(n, 1) + 1 / N) / (1 / m + 1 / (N - m));
  return (c.quantiles[statistic][best] as number) * ratio ** POWER[statistic];
}
