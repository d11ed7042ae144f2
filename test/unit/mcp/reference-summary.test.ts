import { describe, expect, it } from 'vitest';
import { ProfileBuilder } from '../../../services/drift-monitor/src/profile-builder.ts';
import { profileToJSON, type ColumnProfileJSON } from '../../../services/drift-monitor/src/profile.ts';
import { histogramQuantile, referenceSummary } from '../../../services/mcp/src/reference-summary.ts';

function column(values: number[], bins = 4): ColumnProfileJSON {
  const b = new ProfileBuilder();
  for (const v of values) b.add({ features: { x: v }, prediction: { label: 'a' } });
  const json = profileToJSON(
    b.build({ modelId: 'm', modelVersion: 'v', source: 't', createdAt: 0, bins }).profile,
  );
  return json.columns.find((c) => c.name === 'x')!;
}

describe('referenceSummary', () => {
  it('shouldTakeNumpyLinearQuantilesFromTheStoredValuesWhenTheProfileHasThem', () => {
    // numpy.quantile([1, 2, 3, 4, 10], [.05, .25, .5, .75, .95]) = [1.2, 2, 3, 4, 8.8]
    const s = referenceSummary(column([4, 1, 10, 3, 2])) as { quantiles: Record<string, number> };
    const expected = [1.2, 2, 3, 4, 8.8];
    Object.values(s.quantiles).forEach((q, i) => expect(q).toBeCloseTo(expected[i]!, 12));
  });

  it('shouldGiveCategorySharesOfTheReferenceCounts', () => {
    const b = new ProfileBuilder();
    for (const c of ['a', 'a', 'a', 'b']) b.add({ features: { c }, prediction: { label: 'a' } });
    const json = profileToJSON(
      b.build({ modelId: 'm', modelVersion: 'v', source: 't', createdAt: 0 }).profile,
    );
    const s = referenceSummary(json.columns.find((c) => c.name === 'c')!);
    expect(s).toEqual({ count: 4, missing: 0, shares: { a: 0.75, b: 0.25 } });
  });
});

describe('histogramQuantile', () => {
  it('shouldBeExactAtTheEdgesAndLinearWithinABinWhenNoValuesAreStored', () => {
    // Bins (min, 2], (2, 4], (4, max] with min 0, max 6 and 2 values each: the ECDF at the edges is exact.
    const h = {
      version: 1 as const,
      edges: [2, 4],
      shift: 0,
      counts: [2, 2, 2],
      binSums: [0, 0, 0],
      n: 6,
      missing: 0,
      sum: [0, 0] as [number, number],
      sumSq: [0, 0] as [number, number],
      min: 0,
      max: 6,
    };
    expect(histogramQuantile(h, 1 / 3)).toBeCloseTo(2, 12);
    expect(histogramQuantile(h, 2 / 3)).toBeCloseTo(4, 12);
    expect(histogramQuantile(h, 0.5)).toBeCloseTo(3, 12);
    expect(histogramQuantile(h, 1)).toBeCloseTo(6, 12);
    expect(histogramQuantile({ ...h, n: 0, counts: [0, 0, 0], min: null, max: null }, 0.5)).toBeNull();
  });
});
