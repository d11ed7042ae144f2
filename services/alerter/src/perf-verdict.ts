import {
  meanBounds,
  proportionBounds,
  normalQuantile,
  proportionDropTest,
  standardErrorDropTest,
  welchRiseTest,
  type DropTest,
} from '../../core/src/performance/index.ts';
import type { MetricFigure } from './window.ts';

/**
 * The sample-size-aware side of a performance rule: which test a figure has, and its result. Proportions
 * (accuracy, recall:<c>, precision:<c>) are successes over their own denominator; mae is a mean of |error|
 * with its spread. Other figures (f1_macro, rmse, roc_auc, ...) have no test here: null.
 */

const PROPORTION = /^(accuracy|recall:.+|precision:.+)$/;
const MEAN_ERROR = /^mae$/;
/** A binary classifier's ROC AUC, whose `sd` is its Hanley–McNeil standard error × √count. */
const AUC = /^roc_auc$/;

/** The test a figure would get, or null when none applies. */
export function testFor(metric: string): 'two_proportion_z' | 'welch_t' | 'hanley_mcneil_z' | null {
  if (PROPORTION.test(metric)) return 'two_proportion_z';
  if (MEAN_ERROR.test(metric)) return 'welch_t';
  if (AUC.test(metric)) return 'hanley_mcneil_z';
  return null;
}

/** The figure's standard error from its sampling (sd / √count), or null when unknown. */
const standardError = (sd: number | null | undefined, n: number) =>
  sd == null || !(n > 0) ? null : sd / Math.sqrt(n);

const successes = (p: number, n: number) => Math.min(n, Math.max(0, Math.round(p * n)));

/**
 * One-sided test that the figure got worse than its baseline (fell, or rose for an error), with the interval of
 * window − baseline at 1 − 2α; null when the figure has no test or its counts are unknown.
 */
export function worseningTest(metric: string, f: MetricFigure, alpha: number): DropTest | null {
  const n = f.count ?? 0;
  const n0 = f.baselineCount ?? 0;
  if (f.baseline === null || n <= 0 || n0 <= 0) return null;
  if (testFor(metric) === 'two_proportion_z') {
    return proportionDropTest(
      { successes: successes(f.baseline, n0), trials: n0 },
      { successes: successes(f.value, n), trials: n },
      alpha,
    );
  }
  const se = standardError(f.sd, n);
  const se0 = standardError(f.baselineSd, n0);
  if (testFor(metric) === 'hanley_mcneil_z' && se !== null && se0 !== null) {
    return standardErrorDropTest({ value: f.baseline, se: se0 }, { value: f.value, se }, alpha);
  }
  if (testFor(metric) === 'welch_t' && n >= 2 && n0 >= 2 && f.sd != null && f.baselineSd != null) {
    return welchRiseTest(
      { mean: f.baseline, variance: f.baselineSd ** 2, count: n0 },
      { mean: f.value, variance: f.sd ** 2, count: n },
      alpha,
    );
  }
  return null;
}

/** One-sided (1 − α) bounds of the figure itself, for objectives; null without a test or counts. */
export function figureBounds(
  metric: string,
  f: MetricFigure,
  alpha: number,
): { test: string; low: number; high: number } | null {
  const n = f.count ?? 0;
  if (n <= 0) return null;
  if (testFor(metric) === 'two_proportion_z') {
    const [low, high] = proportionBounds({ successes: successes(f.value, n), trials: n }, alpha);
    return { test: 'wilson_bound', low, high };
  }
  const se = standardError(f.sd, n);
  if (testFor(metric) === 'hanley_mcneil_z' && se !== null) {
    const half = normalQuantile(1 - alpha) * se;
    return { test: 'normal_bound', low: f.value - half, high: f.value + half };
  }
  if (testFor(metric) === 'welch_t' && n >= 2 && f.sd != null) {
    const [low, high] = meanBounds({ mean: f.value, variance: f.sd ** 2, count: n }, alpha);
    return { test: 't_bound', low, high };
  }
  return null;
}
