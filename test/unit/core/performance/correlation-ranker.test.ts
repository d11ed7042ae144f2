import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  pearson,
  rankFeaturesByPerformanceChange,
  type FeatureDriftPoint,
} from '../../../../services/core/src/performance/correlation-ranker.ts';

interface Fixture {
  reference_accuracy: number;
  estimated_accuracy: number[];
  drift: Record<string, { statistic: number[]; alert: boolean[] }>;
  ranking: { feature: string; correlation: number; p_value: number; has_drifted: boolean; rank: number }[];
}

const fixture = JSON.parse(
  readFileSync(
    new URL('../../../fixtures/performance/correlation-ranker-nannyml.json', import.meta.url),
    'utf8',
  ),
) as Fixture;
const HOUR = 3_600_000;

describe("NannyML's correlation ranker on windows", () => {
  it('shouldRankFeaturesAsNannyMLWhenGivenItsDriftStatisticsAndEstimatedAccuracyPerChunk', () => {
    const drift = new Map<string, FeatureDriftPoint[]>(
      Object.entries(fixture.drift).map(([feature, d]) => [
        feature,
        d.statistic.map((statistic, i) => ({ windowStartMs: i * HOUR, statistic, drifted: d.alert[i]! })),
      ]),
    );
    const ranking = rankFeaturesByPerformanceChange({
      reference: fixture.reference_accuracy,
      performance: new Map(fixture.estimated_accuracy.map((v, i) => [i * HOUR, v])),
      drift,
    });
    expect(ranking.map((r) => r.feature)).toEqual(fixture.ranking.map((r) => r.feature));
    ranking.forEach((r, i) => {
      const want = fixture.ranking[i]!;
      expect(r.correlation).toBeCloseTo(want.correlation, 10);
      expect(r.pValue / want.p_value).toBeCloseTo(1, 8);
      expect(r).toMatchObject({ rank: want.rank, hasDrifted: want.has_drifted, windows: 10 });
    });
  });

  it('shouldPairOnlyWindowsWithBothFiguresAndLeaveConstantOrTooShortSeriesUnrankedAtTheEnd', () => {
    const point = (windowStartMs: number, statistic: number): FeatureDriftPoint => ({
      windowStartMs,
      statistic,
      drifted: false,
    });
    const ranking = rankFeaturesByPerformanceChange({
      reference: 0.9,
      performance: new Map([
        [0, 0.9],
        [1, 0.8],
        [2, Number.NaN],
        [3, 0.7],
      ]),
      drift: new Map([
        ['constant', [point(0, 0.1), point(1, 0.1), point(3, 0.1)]],
        ['falls', [point(0, 0.3), point(1, 0.2), point(3, 0.1)]],
        ['rises', [point(0, 0.0), point(1, 0.1), point(2, 5), point(3, 0.2), point(9, 1)]],
        ['single', [point(1, 0.4)]],
      ]),
    });
    expect(ranking.map((r) => [r.feature, r.windows, r.rank])).toEqual([
      ['rises', 3, 1],
      ['falls', 3, 2],
      ['constant', 3, 3],
      ['single', 1, 4],
    ]);
    expect(ranking[0]!.correlation).toBeCloseTo(1, 12);
    expect(ranking[1]!.correlation).toBeCloseTo(-1, 12);
    expect(Number.isNaN(ranking[2]!.correlation)).toBe(true);
  });

  it('shouldGiveScipysPearsonPValue', () => {
    // scipy.stats.pearsonr([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) = (0.8, 0.10408803866182782)
    const { r, pValue } = pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]);
    expect(r).toBeCloseTo(0.8, 12);
    expect(pValue).toBeCloseTo(0.10408803866182782, 10);
  });

  it('shouldGiveTheDocExamplesRanking', () => {
    const [x] = rankFeaturesByPerformanceChange({
      reference: 0.9,
      performance: new Map([
        [0, 0.9],
        [1, 0.8],
        [2, 0.7],
      ]),
      drift: new Map([
        [
          'x',
          [
            { windowStartMs: 0, statistic: 0.01, drifted: false },
            { windowStartMs: 1, statistic: 0.1, drifted: true },
            { windowStartMs: 2, statistic: 0.2, drifted: true },
          ],
        ],
      ]),
    });
    // scipy.stats.pearsonr([0.01, 0.1, 0.2], [0, 0.1, 0.2]) = (0.9995386389604495, 0.01933892271926069)
    expect(x!.correlation).toBeCloseTo(0.9995386389604495, 12);
    expect(x!.pValue).toBeCloseTo(0.01933892271926069, 10);
    expect(x).toMatchObject({ feature: 'x', windows: 3, hasDrifted: true, rank: 1 });
  });
});
