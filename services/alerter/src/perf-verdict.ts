import {
  meanBounds,
  proportionBounds,
  proportionDropTest,
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

/** The test a figure would get, or null when none applies. */
export function testFor(metric: string): 'two_proportion_z' | 'welch_t' | null {
  if (PROPORTION.test(metric)) return 'two_proportion_z';
  if (MEAN_ERROR.test(metric)) return 'welch_t';
  return null;
}

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
  if (testFor(metric) === 'welch_t' && n >= 2 && f.sd != null) {
    const [low, high] = meanBounds({ mean: f.value, variance: f.sd ** 2, count: n }, alpha);
    return { test: 't_bound', low, high };
  }
  return null;
}
