import { describe, expect, it } from 'vitest';
import {
  calibrateEmbedding,
  embeddingThreshold,
} from '../../../../services/core/src/stats/embedding-calibration.ts';
import {
  EmbeddingWindowState,
  embeddingDistances,
} from '../../../../services/core/src/stats/embedding-drift.ts';
import { mulberry32, normalGenerator } from '../../../../services/core/src/stats/random.ts';
import {
  RandomFourierFeatures,
  medianBandwidth,
} from '../../../../services/core/src/stats/random-fourier-features.ts';

describe('RandomFourierFeatures', () => {
  it('shouldApproximateTheGaussianKernelWhenFeaturesAreMany', () => {
    const rff = new RandomFourierFeatures(3, 20_000, 1.5, 42);
    const x = [0.2, -0.4, 1];
    const y = [1, 0.1, 0.3];
    const [fx, fy] = [x, y].map((v) => {
      const f = new Float64Array(20_000);
      rff.addTo(v, f);
      return f;
    });
    const dot = fx!.reduce((s, v, j) => s + v * fy![j]!, 0);
    const kernel = Math.exp(-((0.8 ** 2 + 0.5 ** 2 + 0.7 ** 2) / (2 * 1.5 ** 2)));
    expect(Math.abs(dot - kernel)).toBeLessThan(0.02);
  });

  it('shouldGiveTheSameMapWhenTheSeedIsTheSame', () => {
    const a = new Float64Array(8);
    const b = new Float64Array(8);
    new RandomFourierFeatures(2, 8, 1, 7).addTo([1, 2], a);
    RandomFourierFeatures.fromJSON(new RandomFourierFeatures(2, 8, 1, 7).toJSON()).addTo([1, 2], b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('shouldUseTheMedianDistanceWhenChoosingTheBandwidth', () => {
    expect(medianBandwidth([[0], [0], [0]], 1)).toBe(1);
    expect(medianBandwidth([[0], [2]], 1, 50)).toBe(2);
  });
});

describe('embeddingDistances', () => {
  it('shouldMatchHandComputedDistancesWhenMeansDiffer', () => {
    const d = embeddingDistances([2, 0], [0.2, 0.4], 2, { mean: [0, 1], featureMean: [0.1, 0.2] });
    expect(d.mean_euclidean).toBeCloseTo(Math.SQRT2, 12);
    expect(d.mean_cosine).toBeCloseTo(1, 12);
    expect(d.mmd).toBeCloseTo(Math.hypot(0, 0), 12);
  });

  it('shouldCountAVectorOfAnotherLengthOrNotFiniteAsMissing', () => {
    const s = new EmbeddingWindowState(new RandomFourierFeatures(2, 4, 1, 1));
    s.update([1, 2]);
    s.update([1]);
    s.update([1, NaN]);
    s.update(undefined);
    expect([s.n, s.missing, Array.from(s.sum)]).toEqual([1, 3, [1, 2]]);
  });
});

describe('calibrateEmbedding', () => {
  const normal = normalGenerator(mulberry32(3));
  const vectors = Array.from({ length: 2000 }, () => [1 + normal(), normal(), normal()]);
  const rff = new RandomFourierFeatures(3, 16, medianBandwidth(vectors, 3), 3);
  const features = vectors.map((v) => {
    const f = new Float64Array(16);
    rff.addTo(v, f);
    return f;
  });
  const c = calibrateEmbedding(vectors, features, { seed: 3, draws: 400 });

  it('shouldShrinkThresholdsLikeTheNullSpreadWhenWindowsGrow', () => {
    // ‖mean of n − reference mean‖² ~ (1/n + 1/N) χ²₃ for standard normal vectors: 99% quantile 11.345.
    const expected99 = (n: number) => Math.sqrt(11.345 * (1 / n + 1 / 2000));
    for (const n of [50, 200, 800]) {
      const t = embeddingThreshold(c, 'mean_euclidean', n);
      expect(t / expected99(n)).toBeGreaterThan(0.85);
      expect(t / expected99(n)).toBeLessThan(1.15);
    }
    expect(embeddingThreshold(c, 'mmd', 800)).toBeLessThan(embeddingThreshold(c, 'mmd', 50));
  });
});
