import { describe, expect, it } from 'vitest';
import { binnedKs } from '../../../../services/core/src/stats/binned-ks.ts';
import {
  binnedNormalizedWasserstein,
  binnedWasserstein,
} from '../../../../services/core/src/stats/binned-wasserstein.ts';
import { EmptySampleError, IncompatibleBinsError } from '../../../../services/core/src/stats/errors.ts';
import { ks2samp, ksAsymptoticPValue } from '../../../../services/core/src/stats/ks.ts';
import { NumericHistogram } from '../../../../services/core/src/stats/numeric-histogram.ts';
import { mulberry32, normalGenerator } from '../../../../services/core/src/stats/random.ts';
import { referenceBins, type BinSpec } from '../../../../services/core/src/stats/reference-bins.ts';
import {
  normalizedWasserstein,
  wassersteinDistance,
} from '../../../../services/core/src/stats/wasserstein.ts';

function histogramOf(spec: BinSpec, values: ArrayLike<number>): NumericHistogram {
  const h = new NumericHistogram(spec);
  for (let i = 0; i < values.length; i++) h.update(values[i]);
  return h;
}

function largestBinMass(h: NumericHistogram): number {
  return Math.max(...Array.from(h.counts, (c) => c / h.n));
}

const rng = mulberry32(2024);
const normal = normalGenerator(rng);
const scenarios = Array.from({ length: 60 }, (_, i) => {
  const nRef = 50 + Math.floor(rng() * 3000);
  const nWin = 1 + Math.floor(rng() * 2000);
  const shift = (i % 4) * 0.2;
  const scale = 1 + (i % 3) * 0.3;
  const discrete = i % 5 === 0;
  const draw = (s: number, m: number) => (discrete ? Math.round(3 * (m + s * normal())) : m + s * normal());
  const reference = Float64Array.from({ length: nRef }, () => draw(1, 0));
  const window = Float64Array.from({ length: nWin }, () => draw(scale, shift));
  const bins = [10, 20, 50, 100][i % 4] as number;
  return {
    name: `#${i} nRef=${nRef} nWin=${nWin} bins=${bins}${discrete ? ' ties' : ''}`,
    reference,
    window,
    bins,
  };
});

describe('binned KS bounds the exact statistic', () => {
  it.each(scenarios)('$name', ({ reference, window, bins }) => {
    const spec = referenceBins(reference, bins);
    const hr = histogramOf(spec, reference);
    const hw = histogramOf(spec, window);
    const exact = ks2samp(reference, window, { method: 'asymp' }).statistic;
    const b = binnedKs(hr, hw);
    const slack = 1e-12;
    expect(b.statistic).toBeLessThanOrEqual(exact + slack);
    expect(exact).toBeLessThanOrEqual(b.upperBound + slack);
    expect(b.upperBound).toBeLessThanOrEqual(
      b.statistic + Math.max(largestBinMass(hr), largestBinMass(hw)) + slack,
    );
    expect(b.pValue).toBe(ksAsymptoticPValue(b.statistic, reference.length, window.length));
    expect(b.pValue).toBeGreaterThanOrEqual(
      ksAsymptoticPValue(exact, reference.length, window.length) - 1e-15,
    );
  });
});

describe('binned Wasserstein is within its error bound', () => {
  it.each(scenarios)('$name', ({ reference, window, bins }) => {
    const spec = referenceBins(reference, bins);
    const hr = histogramOf(spec, reference);
    const hw = histogramOf(spec, window);
    const exact = wassersteinDistance(reference, window);
    const b = binnedWasserstein(hr, hw);
    expect(Math.abs(b.distance - exact)).toBeLessThanOrEqual(b.errorBound + 1e-9 * exact + 1e-12);
    // bin-mean atoms preserve the means, and W₁ ≥ |mean difference|
    expect(b.distance).toBeGreaterThanOrEqual(Math.abs(hr.mean - hw.mean) - 1e-9);
    const n = binnedNormalizedWasserstein(hr, hw);
    const exactNorm = normalizedWasserstein(reference, window);
    expect(Math.abs(n.distance - exactNorm)).toBeLessThanOrEqual(n.errorBound + 1e-9 * exactNorm + 1e-12);
  });

  it('is exact for a constant reference against the same constant', () => {
    const spec = referenceBins([5, 5, 5], 20);
    const r = binnedWasserstein(histogramOf(spec, [5, 5, 5]), histogramOf(spec, [5]));
    expect(r).toEqual({ distance: 0, errorBound: 0 });
    const ks = binnedKs(histogramOf(spec, [5, 5, 5]), histogramOf(spec, [5, 6]));
    expect([ks.statistic, ks.upperBound]).toEqual([0.5, 0.5]);
  });
});

describe('binned tests refuse bad input', () => {
  const spec = referenceBins([1, 2, 3, 4], 4);
  it('throws on empty histograms and different edges', () => {
    expect(() => binnedKs(histogramOf(spec, [1]), new NumericHistogram(spec))).toThrow(EmptySampleError);
    const other = histogramOf(referenceBins([1, 2, 3, 9], 4), [1]);
    expect(() => binnedWasserstein(histogramOf(spec, [1]), other)).toThrow(IncompatibleBinsError);
  });
});
