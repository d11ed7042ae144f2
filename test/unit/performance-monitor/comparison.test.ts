import { describe, expect, it } from 'vitest';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import { twoProportionZTest } from '../../../services/core/src/performance/index.ts';
import { compareVersionNames, versionPairs } from '../../../services/performance-monitor/src/comparisons.ts';
import type { ComparisonMode } from '../../../services/performance-monitor/src/settings-parse.ts';
import { PerformanceProcessor } from '../../../services/performance-monitor/src/processor.ts';
import { T0, cls, options, reg } from './helpers.ts';

/** `right` of `n` correct predictions of `version`, one second apart. */
function arm(version: string, armTag: string, right: number, n: number) {
  return Array.from({ length: n }, (_, i) =>
    cls(T0 + i * 1000, 'a', i < right ? 'a' : 'b', { model_version: version, tags: { arm: armTag } }),
  );
}

describe('version comparison', () => {
  it('shouldCallTheCandidateBetterWhenItsAccuracyIsSignificantlyHigher', () => {
    const p = new PerformanceProcessor(options({ comparisons: { mode: 'auto' }, compareMinSamples: 30 }));
    [...arm('v1', 'A', 80, 100), ...arm('v2', 'B', 90, 100)].forEach((r) => p.process(r));
    const rows = p.flush(200, '200').comparisonRows.filter((r) => r.window_size === '5m');
    expect(rows).toHaveLength(1);
    const expected = twoProportionZTest({ successes: 80, trials: 100 }, { successes: 90, trials: 100 });
    expect(rows[0]).toMatchObject({
      model_id: 'm',
      baseline_version: 'v1',
      candidate_version: 'v2',
      baseline_arm: 'A',
      candidate_arm: 'B',
      segment: '',
      window_id: T0,
      metric: 'accuracy',
      test: 'two_proportion_z',
      baseline_value: 0.8,
      candidate_value: 0.9,
      baseline_count: 100,
      candidate_count: 100,
      verdict: 'better',
      revision: 200,
    });
    expect(rows[0]!.statistic).toBeCloseTo(1.98, 3);
    expect(rows[0]!.p_value).toBeCloseTo(expected.pValue, 12);
    expect(rows[0]!.p_value).toBeLessThan(0.05);
  });

  it('shouldCompareEveryModelWhenTwoModelsHaveVersionsOfTheSameNames', () => {
    const p = new PerformanceProcessor(options({ comparisons: { mode: 'auto' }, compareMinSamples: 2 }));
    const other = (r: JoinedPrediction) => ({ ...r, model_id: 'other' });
    const stream = [...arm('v1', 'A', 3, 5), ...arm('v2', 'B', 4, 5)];
    [...stream, ...stream.map(other)].forEach((r) => p.process(r));
    const rows = p.flush(20, '20').comparisonRows.filter((r) => r.window_size === '5m');
    expect(rows.map((r) => r.model_id).sort()).toEqual(['m', 'other']);
  });

  it('shouldSayInsufficientDataWhenAnArmHasFewerThanTheMinimumSamples', () => {
    const p = new PerformanceProcessor(options({ comparisons: { mode: 'auto' }, compareMinSamples: 30 }));
    [...arm('v1', 'A', 8, 10), ...arm('v2', 'B', 9, 10)].forEach((r) => p.process(r));
    const [row] = p.flush(20, '20').comparisonRows;
    expect(row).toMatchObject({ verdict: 'insufficient_data', statistic: null, p_value: null, test: '' });
  });

  it('shouldCompareMeanAbsoluteErrorsWithWelchWhenTheModelIsARegressor', () => {
    const p = new PerformanceProcessor(options({ comparisons: { mode: 'auto' }, compareMinSamples: 2 }));
    const errors = (version: string, e: number[]) =>
      e.map((x, i) => reg(T0 + i, 10, 10 + x, { model_version: version }));
    [...errors('v1', [1, 2, 1, 2, 1, 2]), ...errors('v2', [5, 6, 5, 6, 5, 6])].forEach((r) => p.process(r));
    const [row] = p.flush(12, '12').comparisonRows;
    expect(row).toMatchObject({
      metric: 'mae',
      test: 'welch_t_abs_error',
      baseline_value: 1.5,
      candidate_value: 5.5,
    });
    expect(row!.verdict).toBe('worse');
  });

  it('shouldPairVersionsFromTheSettingWhenPairsAreConfigured', () => {
    const pairs: ComparisonMode = { mode: 'pairs', pairs: [{ model: '*', baseline: 'v2', candidate: 'v3' }] };
    expect(versionPairs(pairs, 'm', ['v1', 'v2', 'v3'])).toEqual([['v2', 'v3']]);
    expect(versionPairs(pairs, 'm', ['v1', 'v2'])).toEqual([]);
    expect(versionPairs({ mode: 'auto' }, 'm', ['v1', 'v2', 'v3'])).toEqual([
      ['v1', 'v2'],
      ['v1', 'v3'],
    ]);
    expect(versionPairs({ mode: 'off' }, 'm', ['v1', 'v2'])).toEqual([]);
  });

  it('shouldPickTheSameBaselineWhicheverVersionArrivesFirstWhenAuto', () => {
    // Joined pairs arrive in label order, which restarts change: the rows must not depend on it.
    expect(versionPairs({ mode: 'auto' }, 'm', ['v2', 'v1'])).toEqual([['v1', 'v2']]);
    expect(versionPairs({ mode: 'auto' }, 'm', ['v10', 'v9', 'v2'])).toEqual([
      ['v2', 'v9'],
      ['v2', 'v10'],
    ]);
  });

  it('shouldOrderVersionNamesByTheirNumbersWhenTheyHaveDigitRuns', () => {
    const sorted = (names: string[]) => [...names].sort(compareVersionNames);
    expect(sorted(['v10', 'v2', 'v1'])).toEqual(['v1', 'v2', 'v10']);
    expect(sorted(['1.10.0', '1.9.3', '1.9.0'])).toEqual(['1.9.0', '1.9.3', '1.10.0']);
    expect(sorted(['2026-11-01', '2026-02-15', '2025-12-31'])).toEqual([
      '2025-12-31',
      '2026-02-15',
      '2026-11-01',
    ]);
    expect(sorted(['v1-hotfix', 'v1', 'v01'])).toEqual(['v01', 'v1', 'v1-hotfix']);
    expect(sorted(['b', 'a', 'B'])).toEqual(['B', 'a', 'b']);
    expect(compareVersionNames('v1', 'v1')).toBe(0);
  });
});
