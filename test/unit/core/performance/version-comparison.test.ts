import { describe, expect, it } from 'vitest';
import { ClassificationState } from '../../../../services/core/src/performance/classification-state.ts';
import {
  InsufficientDataError,
  InvalidOptionError,
} from '../../../../services/core/src/performance/errors.ts';
import { RegressionState } from '../../../../services/core/src/performance/regression-state.ts';
import {
  chiSquare2x2,
  twoProportionZTest,
} from '../../../../services/core/src/performance/two-proportion-test.ts';
import {
  compareAbsoluteError,
  compareAccuracy,
} from '../../../../services/core/src/performance/version-comparison.ts';
import { welchTTest } from '../../../../services/core/src/performance/welch-t-test.ts';
import type { ComparisonFixture } from './fixture-types.ts';
import { expectClose, loadFixture } from './helpers.ts';

const fixture = loadFixture<ComparisonFixture>('comparison.json');

/** A state with `successes` correct and `trials − successes` wrong predictions. */
function accuracyState(successes: number, trials: number): ClassificationState {
  const state = new ClassificationState();
  for (let i = 0; i < trials; i++) state.update('a', i < successes ? 'a' : 'b');
  return state;
}

function regressionState(yTrue: readonly number[], yPred: readonly number[]): RegressionState {
  const state = new RegressionState();
  yTrue.forEach((y, i) => state.update(y, yPred[i] ?? Number.NaN));
  return state;
}

describe('compareAccuracy against statsmodels and scipy', () => {
  const cases = fixture.accuracy.map(
    (c) =>
      [
        `${c.baseline.successes}/${c.baseline.trials} vs ${c.candidate.successes}/${c.candidate.trials}`,
        c,
      ] as const,
  );

  it.each(cases)('shouldMatchProportionsZtestWhen %s', (_, c) => {
    const result = compareAccuracy(
      accuracyState(c.baseline.successes, c.baseline.trials),
      accuracyState(c.candidate.successes, c.candidate.trials),
    );
    expect(result.test).toBe('two_proportion_z');
    expectClose(result.statistic, c.z, 'z');
    expectClose(result.pValue, c.z_p_value, 'p', 1e-9, 0);
    expect(result.verdict).toBe(c.verdict);
    expect(result.alpha).toBe(fixture.alpha);
  });

  it.each(cases)('shouldMatchChi2ContingencyWithoutCorrectionWhen %s', (_, c) => {
    const result = compareAccuracy(
      accuracyState(c.baseline.successes, c.baseline.trials),
      accuracyState(c.candidate.successes, c.candidate.trials),
      { test: 'chi_square_2x2' },
    );
    expectClose(result.statistic, c.chi2, 'chi2');
    expectClose(result.pValue, c.chi2_p_value, 'p', 1e-9, 0);
    expect(result.verdict).toBe(c.verdict);
    expectClose(result.statistic, c.z * c.z, 'chi2 = z²');
  });

  it('shouldMatchTheDocExample', () => {
    const result = twoProportionZTest({ successes: 80, trials: 100 }, { successes: 90, trials: 100 });
    expectClose(result.statistic, 1.980295085953348, 'z', 1e-12);
    expectClose(result.pValue, 0.04767038065616146, 'p', 1e-9, 0);
  });

  it('shouldReportNoDifferenceWhenBothAreAlwaysRight', () => {
    expect(twoProportionZTest({ successes: 10, trials: 10 }, { successes: 5, trials: 5 })).toEqual({
      statistic: 0,
      pValue: 1,
    });
    expect(chiSquare2x2({ successes: 0, trials: 10 }, { successes: 0, trials: 5 })).toEqual({
      statistic: 0,
      pValue: 1,
    });
  });

  it('shouldThrowInsufficientDataErrorWhenAWindowIsEmpty', () => {
    expect(() => compareAccuracy(new ClassificationState(), accuracyState(3, 4))).toThrow(
      InsufficientDataError,
    );
  });

  it('shouldThrowInvalidOptionErrorWhenAlphaOrTestIsInvalid', () => {
    const a = accuracyState(3, 4);
    expect(() => compareAccuracy(a, a, { alpha: 1 })).toThrow(InvalidOptionError);
    expect(() => compareAccuracy(a, a, { test: 'fisher' as 'chi_square_2x2' })).toThrow(InvalidOptionError);
  });
});

describe('compareAbsoluteError against scipy.stats.ttest_ind(equal_var=False)', () => {
  it.each(fixture.regression.map((c) => [c.name, c] as const))('shouldMatchWelchTestWhen %s', (_, c) => {
    const result = compareAbsoluteError(
      regressionState(c.baseline.y_true, c.baseline.y_pred),
      regressionState(c.candidate.y_true, c.candidate.y_pred),
    );
    expect(result.test).toBe('welch_t_abs_error');
    expectClose(result.statistic, c.t, 't');
    expectClose(result.statistic, c.t_from_stats, 't from stats');
    expectClose(result.pValue, c.p_value, 'p', 1e-9, 0);
    expectClose(result.pValue, c.p_value_from_stats, 'p from stats', 1e-9, 0);
    expectClose(result.df ?? Number.NaN, c.df, 'df');
    expect(result.verdict).toBe(c.verdict);
  });

  it('shouldMatchTheDocExample', () => {
    const result = welchTTest({ mean: 1, variance: 1, count: 30 }, { mean: 1.5, variance: 2, count: 40 });
    expectClose(result.statistic, -0.5 / Math.sqrt(1 / 30 + 2 / 40), 't', 1e-12);
    expectClose(result.statistic, -1.7320508075688774, 't', 1e-12);
  });

  it('shouldReportCertainDifferenceWhenBothVariancesAreZero', () => {
    const same = welchTTest({ mean: 1, variance: 0, count: 3 }, { mean: 1, variance: 0, count: 4 });
    expect(same).toEqual({ statistic: 0, pValue: 1, df: 5 });
    const better = compareAbsoluteError(
      regressionState([0, 0], [1, 1]),
      regressionState([0, 0, 0], [0, 0, 0]),
    );
    expect(better).toMatchObject({ statistic: Infinity, pValue: 0, verdict: 'better' });
  });

  it('shouldThrowInsufficientDataErrorWhenASampleHasFewerThanTwoValues', () => {
    expect(() => compareAbsoluteError(regressionState([1], [2]), regressionState([1, 2], [2, 2]))).toThrow(
      InsufficientDataError,
    );
  });
});
