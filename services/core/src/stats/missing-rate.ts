/**
 * Comparison of missing-value rates between reference and window: the rates,
 * their difference and a pooled two-proportion z-test
 * (= statsmodels.stats.proportion.proportions_ztest([m_win, m_ref], [t_win, t_ref])).
 */

import { normalSf } from '../math/special-functions.ts';
import { EmptySampleError } from './errors.ts';

/** Missing and total observation counts of one side. */
export interface MissingCounts {
  missing: number;
  /** all observations, missing included */
  total: number;
}

/** Result of {@link missingRateChange}. */
export interface MissingRateChange {
  referenceRate: number;
  windowRate: number;
  /** windowRate − referenceRate */
  difference: number;
  /** pooled z statistic, positive when the window misses more; 0 when both rates are 0 or both 1 */
  zStatistic: number;
  /** two-sided p-value; 1 when both rates are 0 or both 1 (statsmodels gives NaN) */
  pValue: number;
}

/**
 * Compare missing-value rates of reference and window.
 *
 * @param reference - reference missing/total counts
 * @param window - window missing/total counts
 * @throws {EmptySampleError} a side has no observations at all (not retriable)
 * @example
 * missingRateChange({ missing: 10, total: 1000 }, { missing: 30, total: 1000 }); // z ≈ 3.19, p ≈ 0.0014
 */
export function missingRateChange(reference: MissingCounts, window: MissingCounts): MissingRateChange {
  if (reference.total === 0) throw new EmptySampleError('reference');
  if (window.total === 0) throw new EmptySampleError('window');
  const referenceRate = reference.missing / reference.total;
  const windowRate = window.missing / window.total;
  const pooled = (reference.missing + window.missing) / (reference.total + window.total);
  const variance = pooled * (1 - pooled) * (1 / window.total + 1 / reference.total);
  const difference = windowRate - referenceRate;
  if (!(variance > 0)) return { referenceRate, windowRate, difference, zStatistic: 0, pValue: 1 };
  const zStatistic = difference / Math.sqrt(variance);
  return { referenceRate, windowRate, difference, zStatistic, pValue: 2 * normalSf(Math.abs(zStatistic)) };
}
