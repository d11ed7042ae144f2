/**
 * KS of a window's raw values against a reference kept as sorted values: exact (= scipy.stats.ks_2samp)
 * when the reference holds every value, within a stated bound when it holds a quantile summary.
 *
 * A reference of n ≤ size values is kept whole. A larger one keeps `size` order statistics, the values of
 * rank ⌊(i + ½)·n/size⌋ (i = 0 … size−1): between two consecutive summary points the summary's ECDF and the
 * reference's differ by at most 1/size, so the KS statistic computed on the summary is within 1/size of the
 * exact one (|D_summary − D| ≤ 1/size), and its p-value is the asymptotic one for the true sizes (what
 * scipy's method='auto' uses anyway once a sample exceeds 10,000 values).
 */

import { EmptySampleError } from './errors.ts';
import { ks2samp, ksAsymptoticPValue, ksStatistic } from './ks.ts';
import { sortedSample } from './sample.ts';

/** Reference values kept for exact tests. */
export interface ReferenceSample {
  /** ascending: every finite reference value (`exact`), or `size` order statistics */
  readonly values: Float64Array;
  /** the number of finite reference values the sample stands for */
  readonly n: number;
  readonly exact: boolean;
}

/** Reference values kept whole up to this many; a quantile summary of this many points above. */
export const REFERENCE_SAMPLE_SIZE = 10_000;

/**
 * The reference sample of sorted finite values.
 * @param sorted - ascending finite values
 * @param size - most values kept (@default REFERENCE_SAMPLE_SIZE)
 * @example
 * referenceSample(Float64Array.of(1, 2, 3, 4), 2); // { values: [2, 4], n: 4, exact: false }
 */
export function referenceSample(sorted: Float64Array, size = REFERENCE_SAMPLE_SIZE): ReferenceSample {
  const n = sorted.length;
  if (n <= size) return { values: Float64Array.from(sorted), n, exact: true };
  const values = new Float64Array(size);
  for (let i = 0; i < size; i++) values[i] = sorted[Math.floor(((i + 0.5) * n) / size)] as number;
  return { values, n, exact: false };
}

/** Result of {@link sampleKs}. */
export interface SampleKsResult {
  statistic: number;
  pValue: number;
  /** |statistic − exact statistic| is at most this: 0 for a whole reference, 1/size for a summary */
  errorBound: number;
  /** how the p-value was computed */
  method: 'exact' | 'asymp';
}

/**
 * Two-sample two-sided KS of a window against a reference sample.
 * @throws {EmptySampleError} the window or the reference has no value (not retriable)
 * @example
 * sampleKs(referenceSample(Float64Array.of(1, 2, 3)), Float64Array.of(2.5, 4)); // = ks2samp([1,2,3], [2.5,4])
 */
export function sampleKs(reference: ReferenceSample, window: ArrayLike<number>): SampleKsResult {
  if (reference.n === 0) throw new EmptySampleError('reference');
  if (reference.exact) {
    const r = ks2samp(reference.values, window);
    return { statistic: r.statistic, pValue: r.pValue, errorBound: 0, method: r.method };
  }
  const sorted = sortedSample(window, 'window');
  const statistic = ksStatistic(reference.values, sorted);
  const pValue = Math.min(1, Math.max(0, ksAsymptoticPValue(statistic, reference.n, sorted.length)));
  return { statistic, pValue, errorBound: 1 / reference.values.length, method: 'asymp' };
}
