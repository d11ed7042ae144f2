/**
 * Compares a candidate model version with a baseline on the same window, from their mergeable
 * states, and turns the test into a verdict: 'better' or 'worse' when the two-sided p-value is
 * below alpha (the sign of the difference decides which), else 'no_difference'.
 *
 * - Classification: accuracy by the pooled two-proportion z-test, or the equivalent 2×2 chi-square
 *   without continuity correction (same p-value; χ² = z²).
 * - Regression: Welch's t-test on the per-sample absolute errors, whose mean and variance the
 *   state holds (Σ|e|² = Σe²). A test on squared errors would need Σe⁴, which the state omits.
 * The statistic is signed so that positive favours the candidate (except χ², always ≥ 0).
 */
import type { ClassificationState } from './classification-state.ts';
import { InvalidOptionError } from './errors.ts';
import type { RegressionState } from './regression-state.ts';
import { chiSquare2x2, twoProportionZTest } from './two-proportion-test.ts';
import { welchTTest } from './welch-t-test.ts';

/** Outcome of a comparison. */
export type Verdict = 'better' | 'worse' | 'no_difference';

/** Names of the tests a comparison may run. */
export type ComparisonTest = 'two_proportion_z' | 'chi_square_2x2' | 'welch_t_abs_error';

/** Result of {@link compareAccuracy} or {@link compareAbsoluteError}. */
export interface VersionComparison {
  readonly test: ComparisonTest;
  readonly statistic: number;
  readonly pValue: number;
  readonly verdict: Verdict;
  readonly alpha: number;
  /** Baseline accuracy or mean absolute error. */
  readonly baseline: number;
  /** Candidate accuracy or mean absolute error. */
  readonly candidate: number;
  /** Degrees of freedom (Welch only). */
  readonly df?: number;
}

/** Options shared by the comparisons. */
export interface ComparisonOptions {
  /** Significance level of the two-sided test. @default 0.05 */
  readonly alpha?: number;
}

function resolveAlpha(options: ComparisonOptions): number {
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InvalidOptionError('alpha', alpha, 'a number in (0, 1)');
  return alpha;
}

function verdictOf(pValue: number, alpha: number, candidateIsBetter: boolean): Verdict {
  if (!(pValue < alpha)) return 'no_difference';
  return candidateIsBetter ? 'better' : 'worse';
}

/**
 * Accuracy of `candidate` against `baseline`.
 * @param options.test - 'two_proportion_z' (default) or 'chi_square_2x2'
 * @throws {InsufficientDataError} when a state is empty (not retriable)
 * @throws {InvalidOptionError} for alpha outside (0, 1) or an unknown test (not retriable)
 */
export function compareAccuracy(
  baseline: ClassificationState,
  candidate: ClassificationState,
  options: ComparisonOptions & { readonly test?: 'two_proportion_z' | 'chi_square_2x2' } = {},
): VersionComparison {
  const alpha = resolveAlpha(options);
  const test = options.test ?? 'two_proportion_z';
  if (test !== 'two_proportion_z' && test !== 'chi_square_2x2') {
    throw new InvalidOptionError('test', test, "'two_proportion_z', 'chi_square_2x2'");
  }
  const a = { successes: baseline.correctCount, trials: baseline.count };
  const b = { successes: candidate.correctCount, trials: candidate.count };
  const result = test === 'two_proportion_z' ? twoProportionZTest(a, b) : chiSquare2x2(a, b);
  const accuracyA = a.successes / a.trials;
  const accuracyB = b.successes / b.trials;
  return {
    test,
    statistic: result.statistic,
    pValue: result.pValue,
    verdict: verdictOf(result.pValue, alpha, accuracyB > accuracyA),
    alpha,
    baseline: accuracyA,
    candidate: accuracyB,
  };
}

/**
 * Mean absolute error of `candidate` against `baseline` (Welch's t-test; lower error is better).
 * @throws {InsufficientDataError} when a state has fewer than 2 samples (not retriable)
 * @throws {InvalidOptionError} for alpha outside (0, 1) (not retriable)
 */
export function compareAbsoluteError(
  baseline: RegressionState,
  candidate: RegressionState,
  options: ComparisonOptions = {},
): VersionComparison {
  const alpha = resolveAlpha(options);
  const a = baseline.absoluteErrorMoments;
  const b = candidate.absoluteErrorMoments;
  const result = welchTTest(
    { mean: a.mean, variance: a.sampleVariance, count: a.count },
    { mean: b.mean, variance: b.sampleVariance, count: b.count },
  );
  return {
    test: 'welch_t_abs_error',
    statistic: result.statistic,
    pValue: result.pValue,
    verdict: verdictOf(result.pValue, alpha, b.mean < a.mean),
    alpha,
    baseline: a.mean,
    candidate: b.mean,
    df: result.df,
  };
}
