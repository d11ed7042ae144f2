import { describe, expect, it } from 'vitest';
import { BinFinder, binFinder } from '../../../../services/core/src/stats/bin-finder.ts';
import { nextDown } from '../../../../services/core/src/stats/float-bits.ts';
import { mulberry32, normalGenerator } from '../../../../services/core/src/stats/random.ts';
import { binIndex, referenceBins } from '../../../../services/core/src/stats/reference-bins.ts';

/** Values around every edge (the edge, just below, just above) and spread over and beyond the range. */
function probes(edges: Float64Array, seed: number): number[] {
  const rng = mulberry32(seed);
  const out: number[] = [-Number.MAX_VALUE, Number.MAX_VALUE, 0, -0];
  for (const e of edges) out.push(e, nextDown(e), -nextDown(-e));
  const low = edges.length > 0 ? (edges[0] as number) : -1;
  const high = edges.length > 0 ? (edges[edges.length - 1] as number) : 1;
  const span = high - low || 1;
  for (let i = 0; i < 5000; i++) out.push(low - span + 3 * span * rng());
  return out;
}

function expectSameAsBinIndex(edges: Float64Array, seed = 1): void {
  const finder = new BinFinder(edges);
  const wrong = probes(edges, seed).filter((x) => finder.index(x) !== binIndex(edges, x));
  expect(wrong).toEqual([]);
}

describe('BinFinder', () => {
  it('shouldFindTheBinBinIndexFindsWhenEdgesAreReferenceQuantiles', () => {
    const normal = normalGenerator(mulberry32(7));
    const rng = mulberry32(8);
    const samples = [
      Array.from({ length: 5000 }, () => 50 + 10 * normal()),
      Array.from({ length: 5000 }, () => Math.exp(3 * normal())),
      Array.from({ length: 5000 }, () => Math.floor(5 * rng())),
      Array.from({ length: 5000 }, () => (rng() < 0.9 ? 0 : normal())),
    ];
    samples.forEach((values, seed) => {
      for (const bins of [2, 3, 20, 100]) expectSameAsBinIndex(referenceBins(values, bins).edges, seed);
    });
  });

  it('shouldFindTheBinWhenEdgesAreFewTinyOrHuge', () => {
    for (const edges of [
      [],
      [3],
      [nextDown(3), 3],
      [-1e308, 1e308],
      [-Number.MAX_VALUE, 0, Number.MAX_VALUE],
      [1e-300, 2e-300, 3e-300],
      [1, 1 + 2 ** -52, 1 + 2 ** -51],
    ])
      expectSameAsBinIndex(Float64Array.from(edges));
  });

  it('shouldShareOneFinderWhenHistogramsShareTheirEdgesArray', () => {
    const edges = Float64Array.of(1, 2, 3);
    expect(binFinder(edges)).toBe(binFinder(edges));
    expect(binFinder(edges)).not.toBe(binFinder(Float64Array.of(1, 2, 3)));
    expect(new BinFinder(Float64Array.of(1, 2)).index(1)).toBe(0);
  });
});
