/**
 * Welch's unequal-variance t-test from summary statistics, as
 * scipy.stats.ttest_ind_from_stats(mean1, std1, nobs1, mean2, std2, nobs2, equal_var=False):
 * t = (m₁ − m₂)/√(v₁/n₁ + v₂/n₂) with Welch–Satterthwaite degrees of freedom.
 */
import { InsufficientDataError } from './errors.ts';
import { studentTTwoSidedPValue } from './p-values.ts';
import type { TestStatistic } from './two-proportion-test.ts';

/** Mean, sample variance (ddof = 1) and size of one sample. */
export interface SampleSummary {
  readonly mean: number;
  readonly variance: number;
  readonly count: number;
}

/** Welch's t with its degrees of freedom. */
export interface WelchResult extends TestStatistic {
  readonly df: number;
}

/**
 * Welch's t-test of mean(a) − mean(b). When both variances are 0 the means are known exactly:
 * equal means give t = 0, p = 1; different means give t = ±Infinity, p = 0, df = n₁ + n₂ − 2
 * (scipy returns NaN there).
 * @throws {InsufficientDataError} when a sample has fewer than 2 values (not retriable)
 * @example welchTTest({ mean: 1, variance: 1, count: 30 }, { mean: 1.5, variance: 2, count: 40 }) // t ≈ −1.732
 */
export function welchTTest(a: SampleSummary, b: SampleSummary): WelchResult {
  for (const [name, s] of [
    ['baseline', a],
    ['candidate', b],
  ] as const) {
    if (!(s.count >= 2)) throw new InsufficientDataError('welch_t', `${name} has ${s.count} values, needs 2`);
  }
  const va = a.variance / a.count;
  const vb = b.variance / b.count;
  const se2 = va + vb;
  const diff = a.mean - b.mean;
  if (se2 === 0) {
    const df = a.count + b.count - 2;
    return diff === 0 ? { statistic: 0, pValue: 1, df } : { statistic: diff * Infinity, pValue: 0, df };
  }
  const df = (se2 * se2) / ((va * va) / (a.count - 1) + (vb * vb) / (b.count - 1));
  const t = diff / Math.sqrt(se2);
  return { statistic: t, pValue: studentTTwoSidedPValue(t, df), df };
}
