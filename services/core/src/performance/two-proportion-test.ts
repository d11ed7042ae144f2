/**
 * Two-proportion z-test with pooled variance, and the equivalent Pearson chi-square test on the
 * 2×2 table without continuity correction (scipy.stats.chi2_contingency(correction=False)):
 * χ² = z² and both give the same two-sided p-value.
 */
import { InsufficientDataError } from './errors.ts';
import { chiSquareSurvival, normalTwoSidedPValue } from './p-values.ts';

/** Successes out of trials (e.g. correct predictions out of labeled predictions). */
export interface Proportion {
  readonly successes: number;
  readonly trials: number;
}

/** Statistic and two-sided p-value of a test. */
export interface TestStatistic {
  readonly statistic: number;
  readonly pValue: number;
}

function check(test: string, a: Proportion, b: Proportion): void {
  for (const [name, p] of [
    ['baseline', a],
    ['candidate', b],
  ] as const) {
    if (!(p.trials > 0)) throw new InsufficientDataError(test, `${name} has no trials`);
    if (!(p.successes >= 0 && p.successes <= p.trials)) {
      throw new InsufficientDataError(test, `${name} successes ${p.successes} not in [0, ${p.trials}]`);
    }
  }
}

/**
 * z = (p_b − p_a) / √(p̂(1 − p̂)(1/n_a + 1/n_b)) with pooled p̂, positive when `b` has the larger
 * proportion. When p̂ is 0 or 1 the proportions are equal and the variance is zero: z = 0, p = 1
 * (scipy and statsmodels return NaN there).
 * @throws {InsufficientDataError} when a side has no trials (not retriable)
 * @example twoProportionZTest({ successes: 80, trials: 100 }, { successes: 90, trials: 100 }) // z ≈ 1.980, p ≈ 0.0477
 */
export function twoProportionZTest(a: Proportion, b: Proportion): TestStatistic {
  check('two_proportion_z', a, b);
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const variance = pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials);
  if (variance === 0) return { statistic: 0, pValue: 1 };
  const z = (b.successes / b.trials - a.successes / a.trials) / Math.sqrt(variance);
  return { statistic: z, pValue: normalTwoSidedPValue(z) };
}

/**
 * Pearson χ² of the table [[a.successes, a.failures], [b.successes, b.failures]], 1 degree of
 * freedom, no Yates correction. χ² = 0, p = 1 when a column is empty (scipy raises there).
 * @throws {InsufficientDataError} when a side has no trials (not retriable)
 */
export function chiSquare2x2(a: Proportion, b: Proportion): TestStatistic {
  check('chi_square_2x2', a, b);
  const total = a.trials + b.trials;
  const successes = a.successes + b.successes;
  const failures = total - successes;
  if (successes === 0 || failures === 0) return { statistic: 0, pValue: 1 };
  // [observed, row total, column total] for each of the four cells.
  const cells = [
    [a.successes, a.trials, successes],
    [a.trials - a.successes, a.trials, failures],
    [b.successes, b.trials, successes],
    [b.trials - b.successes, b.trials, failures],
  ] as const;
  let chi2 = 0;
  for (const [observed, row, column] of cells) {
    const expected = (row * column) / total;
    const diff = observed - expected;
    chi2 += (diff * diff) / expected;
  }
  return { statistic: chi2, pValue: chiSquareSurvival(chi2, 1) };
}
