import { describe, expect, it } from 'vitest';
import { holdoutFits } from '../../../../services/core/src/stats/pca-holdout.ts';
import {
  fitPcaOnColumns,
  runScatters,
  scatterMatrix,
  standardizeColumns,
  type PcaReconstruction,
} from '../../../../services/core/src/stats/pca-reconstruction.ts';

/** A seeded generator of correlated features with offsets far from 0 (where a naive re-centring would lose digits). */
function rows(n: number, d: number, missingShare: number): Float64Array {
  let seed = 11;
  const uniform = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const gauss = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const a = gauss();
    const b = gauss();
    for (let i = 0; i < d; i++) x[i * n + r] = 1000 + 50 * i + (i + 1) * a + (i % 3) * b + 0.5 * gauss();
  }
  for (let k = 0; k < missingShare * n * d; k++) x[Math.floor(uniform() * n * d)] = NaN;
  return x;
}

/** The refit on every row but [start, start + size), as the held-out fits were made before. */
function refit(
  features: string[],
  x: Float64Array,
  n: number,
  start: number,
  size: number,
): PcaReconstruction {
  const d = features.length;
  const m = n - size;
  const train = new Float64Array(m * d);
  for (let i = 0; i < d; i++) {
    train.set(x.subarray(i * n, i * n + start), i * m);
    train.set(x.subarray(i * n + start + size, (i + 1) * n), i * m + start);
  }
  return fitPcaOnColumns(features, train, m);
}

/** The largest difference between two fits: means and scales relative, components up to their sign. */
function difference(a: PcaReconstruction, b: PcaReconstruction): number {
  const [p, q] = [a.toJSON(), b.toJSON()];
  let worst = Math.abs(p.explained - q.explained);
  p.means.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - q.means[i]!) / Math.abs(v))));
  p.scales.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - q.scales[i]!) / v)));
  p.components.forEach((row, c) => {
    const other = q.components[c]!;
    const sign = Math.sign(row.reduce((s, v, i) => s + v * other[i]!, 0));
    row.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - sign * other[i]!))));
  });
  return worst;
}

describe('holdoutFits', () => {
  for (const [label, missingShare] of [
    ['Complete', 0],
    ['MissingSome', 0.02],
  ] as const) {
    it(`shouldMatchARefitOnTheOtherRowsWhenRows${label}`, () => {
      const n = 5003;
      const d = 6;
      const size = Math.floor(n / 10);
      const features = Array.from({ length: d }, (_, i) => `f${i}`);
      const x = rows(n, d, missingShare);
      const z = x.slice();
      const { means, scales } = standardizeColumns(z, n, d);
      const fits = holdoutFits(features, { x, z, n, means, scales, scatter: scatterMatrix(z, n, d) }, size);
      expect(fits).toHaveLength(10);
      fits.forEach((fit, c) => {
        const expected = refit(features, x, n, c * size, size);
        expect(fit.k).toBe(expected.k);
        expect(difference(fit, expected)).toBeLessThan(1e-12);
      });
    });
  }

  it('shouldMatchARefitWhenTheChunksScattersComeFromOnePassOverTheRows', () => {
    const n = 5003;
    const d = 6;
    const size = Math.floor(n / 10);
    const features = Array.from({ length: d }, (_, i) => `f${i}`);
    const x = rows(n, d, 0.02);
    const z = x.slice();
    const { means, scales } = standardizeColumns(z, n, d);
    const ends = Array.from({ length: 10 }, (_, c) => (c + 1) * size);
    const { whole, runs } = runScatters(z, n, d, ends);
    expect(whole).toEqual(scatterMatrix(z, n, d));
    runs.forEach((run, c) => {
      const direct = scatterMatrix(z, n, d, { from: c * size, to: (c + 1) * size });
      run.forEach((v, k) => expect(Math.abs(v - direct[k]!)).toBeLessThan(1e-9 * (1 + Math.abs(direct[k]!))));
    });
    const fits = holdoutFits(features, { x, z, n, means, scales, scatter: whole, chunkScatters: runs }, size);
    fits.forEach((fit, c) =>
      expect(difference(fit, refit(features, x, n, c * size, size))).toBeLessThan(1e-12),
    );
  });

  it('shouldKeepScaleOneWhenAFeatureIsConstantOnTheOtherRows', () => {
    const n = 1000;
    const d = 3;
    const x = rows(n, d, 0);
    // Feature 1 varies only in the first chunk: the fit without that chunk sees one value.
    for (let r = 0; r < n; r++) x[n + r] = r < 100 ? r : 3.3;
    const z = x.slice();
    const { means, scales } = standardizeColumns(z, n, d);
    const [first] = holdoutFits(
      ['a', 'b', 'c'],
      { x, z, n, means, scales, scatter: scatterMatrix(z, n, d) },
      100,
    );
    expect(first!.scales[1]).toBe(1);
    expect(first!.means[1]).toBe(3.3);
    expect(first!.standardize(1, 3.3)).toBe(0);
  });
});
