/**
 * Chi-square goodness of fit (= scipy.stats.chisquare) and the categorical
 * drift test built on it (Evidently's `chisquare` stattest: expected counts are
 * the reference proportions times the window size).
 */

import { chiSquareSf } from '../math/special-functions.ts';
import { EmptySampleError, InvalidSampleError } from './errors.ts';

/** Result of a chi-square test. */
export interface ChiSquareResult {
  statistic: number;
  /** upper-tail probability of the statistic; 1 when df = 0 (a single category) */
  pValue: number;
  /** degrees of freedom: categories − 1 − ddof */
  df: number;
}

/**
 * Default probability given to a category that the window has but the reference
 * never saw (before renormalising the reference proportions), the same epsilon
 * PSI uses for empty bins.
 */
export const UNSEEN_CATEGORY_EPSILON = 1e-4;

/**
 * Pearson's chi-square goodness-of-fit test (= scipy.stats.chisquare).
 * With a single category (df = 0) the statistic is 0 and the p-value 1 (scipy
 * returns NaN): one category cannot disagree with itself.
 *
 * @param observed - observed counts, ≥ 0
 * @param expected - expected counts, > 0, with the same total to 1.5e-8 relative
 * @param ddof - extra degrees of freedom removed (@default 0)
 * @throws {InvalidSampleError} lengths or totals differ, or an expected count ≤ 0 (not retriable)
 * @example
 * chiSquareTest([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]); // statistic 3.5, pValue ≈ 0.6234
 */
export function chiSquareTest(
  observed: ArrayLike<number>,
  expected: ArrayLike<number>,
  ddof = 0,
): ChiSquareResult {
  if (observed.length !== expected.length || observed.length === 0) {
    throw new InvalidSampleError(
      'observed',
      `${observed.length} categories but ${expected.length} expected counts`,
    );
  }
  let sumObs = 0;
  let sumExp = 0;
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i] as number;
    const e = expected[i] as number;
    if (!(e > 0) || !Number.isFinite(e)) throw new InvalidSampleError('expected', `count ${e} at index ${i}`);
    if (!(o >= 0) || !Number.isFinite(o))
      throw new InvalidSampleError('observed', `count ${o} at index ${i}`);
    sumObs += o;
    sumExp += e;
    statistic += ((o - e) * (o - e)) / e;
  }
  if (Math.abs(sumObs - sumExp) / Math.min(sumObs, sumExp) > Math.sqrt(Number.EPSILON)) {
    throw new InvalidSampleError('expected', `totals differ: observed ${sumObs}, expected ${sumExp}`);
  }
  const df = observed.length - 1 - ddof;
  return { statistic, pValue: df <= 0 ? 1 : chiSquareSf(statistic, df), df };
}

/** Result of {@link chiSquareDrift}: the test plus what it compared. */
export interface ChiSquareDriftResult extends ChiSquareResult {
  /** categories compared, sorted: the union of both samples' categories */
  categories: string[];
  observed: number[];
  expected: number[];
  /** true when unseen categories forced smoothing of the reference proportions */
  smoothed: boolean;
}

function total(counts: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

/**
 * Chi-square drift test of window category counts against reference frequencies.
 *
 * Expected count of category c = q(c) · n_window, q(c) = reference proportion.
 * Unseen categories (in the window, absent from the reference) would get an
 * expected count of 0 and an infinite statistic; instead each gets q = epsilon
 * and all q are renormalised to sum to 1, so the test stays finite and an unseen
 * category with a few observations still yields a tiny p-value. Without unseen
 * categories this equals Evidently's chisquare stattest exactly.
 *
 * @param reference - reference counts per category (missing values excluded)
 * @param window - window counts per category (missing values excluded)
 * @param epsilon - reference probability of an unseen category (@default 1e-4)
 * @throws {EmptySampleError} either side has no observations (not retriable)
 * @example
 * chiSquareDrift(new Map([['a', 50], ['b', 50]]), new Map([['a', 30], ['b', 10]])); // statistic 10, pValue ≈ 0.00157
 */
export function chiSquareDrift(
  reference: ReadonlyMap<string, number>,
  window: ReadonlyMap<string, number>,
  epsilon = UNSEEN_CATEGORY_EPSILON,
): ChiSquareDriftResult {
  const nRef = total(reference);
  const nWin = total(window);
  if (nRef === 0) throw new EmptySampleError('reference');
  if (nWin === 0) throw new EmptySampleError('window');
  const keys = new Set<string>();
  for (const [k, c] of reference) if (c > 0) keys.add(k);
  for (const [k, c] of window) if (c > 0) keys.add(k);
  const categories = [...keys].sort();
  const q = categories.map((k) => (reference.get(k) ?? 0) / nRef);
  const smoothed = q.some((p) => p === 0);
  if (smoothed) {
    let s = 0;
    for (let i = 0; i < q.length; i++) {
      if (q[i] === 0) q[i] = epsilon;
      s += q[i] as number;
    }
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) / s;
  }
  const expected = q.map((p) => p * nWin);
  const observed = categories.map((k) => window.get(k) ?? 0);
  return { ...chiSquareTest(observed, expected), categories, observed, expected, smoothed };
}
