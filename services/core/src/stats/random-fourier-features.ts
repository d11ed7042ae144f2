import { StatsError } from './errors.ts';
import { mulberry32, normalGenerator } from './random.ts';

/** The stored description of a feature map: the weights are regenerated from the seed, never stored. */
export interface RandomFourierJSON {
  dim: number;
  features: number;
  bandwidth: number;
  seed: number;
}

/**
 * Random Fourier features of the Gaussian kernel k(x, y) = exp(−‖x − y‖² / (2 σ²)) (Rahimi & Recht, "Random
 * Features for Large-Scale Kernel Machines", NIPS 2007): φ(x) = √(2/D) cos(Wx + b), W ~ N(0, 1/σ²),
 * b ~ U[0, 2π), so that φ(x)·φ(y) ≈ k(x, y). The mean of φ over a window is a sum, so it merges across
 * partitions, and ‖mean φ(window) − mean φ(reference)‖² estimates the squared MMD between the two. The same
 * seed gives the same map in every instance (the weights are drawn by a seeded generator).
 */
export class RandomFourierFeatures {
  private readonly weights: Float64Array;
  private readonly offsets: Float64Array;
  private readonly scale: number;

  constructor(
    readonly dim: number,
    readonly features: number,
    readonly bandwidth: number,
    readonly seed: number,
  ) {
    if (!(dim > 0 && features > 0 && bandwidth > 0 && Number.isFinite(bandwidth)))
      throw new StatsError('random Fourier features: dim, features and bandwidth must be positive');
    const rng = mulberry32(seed);
    const normal = normalGenerator(rng);
    this.weights = Float64Array.from({ length: features * dim }, () => normal() / bandwidth);
    this.offsets = Float64Array.from({ length: features }, () => 2 * Math.PI * rng());
    this.scale = Math.sqrt(2 / features);
  }

  /** Adds φ(x) to `sum` (length `features`): allocation free, the per-event hot path. */
  addTo(x: ArrayLike<number>, sum: Float64Array): void {
    const { dim, features, weights, offsets, scale } = this;
    for (let j = 0; j < features; j++) {
      let dot = offsets[j] as number;
      const row = j * dim;
      for (let i = 0; i < dim; i++) dot += (weights[row + i] as number) * (x[i] as number);
      sum[j] = (sum[j] as number) + scale * Math.cos(dot);
    }
  }

  toJSON(): RandomFourierJSON {
    return { dim: this.dim, features: this.features, bandwidth: this.bandwidth, seed: this.seed };
  }

  static fromJSON(json: RandomFourierJSON): RandomFourierFeatures {
    return new RandomFourierFeatures(json.dim, json.features, json.bandwidth, json.seed);
  }
}

/**
 * The median heuristic for the kernel bandwidth (Gretton et al., "A Kernel Two-Sample Test", JMLR 2012):
 * the median euclidean distance between reference vectors, over at most `pairs` seeded random pairs.
 * @example medianBandwidth([[0], [1], [3]], 1) > 0 // true
 */
export function medianBandwidth(vectors: readonly ArrayLike<number>[], seed: number, pairs = 1000): number {
  const rng = mulberry32(seed);
  const distances: number[] = [];
  const n = vectors.length;
  for (let p = 0; p < pairs && n > 1; p++) {
    const a = vectors[Math.floor(rng() * n)] as ArrayLike<number>;
    const b = vectors[Math.floor(rng() * n)] as ArrayLike<number>;
    if (a === b) continue;
    let s = 0;
    for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
    distances.push(Math.sqrt(s));
  }
  distances.sort((x, y) => x - y);
  const median = distances[Math.floor(distances.length / 2)] ?? 1;
  return median > 0 ? median : 1;
}
