/**
 * Two-sample KS from two histograms over the same edges (no raw values).
 *
 * Both ECDFs are known exactly at every edge (bins are right-closed), so
 *   D_binned = max over edges |F_ref(e) − F_win(e)|
 * is the exact ECDF gap at those points and a lower bound of the exact
 * statistic D. Inside bin i both ECDFs stay between their values at the bin's
 * ends, which gives the upper bound
 *   D ≤ U = max_i max(|F_r(e_i) − F_w(e_{i−1})|, |F_r(e_{i−1}) − F_w(e_i)|)
 *        ≤ D_binned + max_i max(mass_ref(i), mass_win(i)).
 * So D_binned ≤ D ≤ U: the error is at most the largest bin mass of either
 * sample. A bin that holds a single double (an atom bin from `referenceBins`)
 * adds no uncertainty. The p-value is the asymptotic one (kstwo with
 * n = round(n₁n₂/(n₁+n₂))) of D_binned; since D_binned ≤ D it is never smaller
 * than the asymptotic p-value of the exact statistic (conservative).
 */

import { EmptySampleError, IncompatibleBinsError } from './errors.ts';
import { nextDown } from './float-bits.ts';
import { ksAsymptoticPValue } from './ks.ts';
import type { NumericHistogram } from './numeric-histogram.ts';

/** Result of {@link binnedKs}. */
export interface BinnedKsResult {
  /** D_binned, a lower bound of the exact KS statistic */
  statistic: number;
  /** U, an upper bound of the exact KS statistic */
  upperBound: number;
  /** asymptotic two-sided p-value of `statistic` */
  pValue: number;
}

/**
 * Check two histograms can be compared bin by bin and neither is empty.
 *
 * @param reference - reference histogram
 * @param window - window histogram
 * @throws {IncompatibleBinsError} different edges (not retriable)
 * @throws {EmptySampleError} a histogram holds no finite value (not retriable)
 */
export function assertComparable(reference: NumericHistogram, window: NumericHistogram): void {
  const a = reference.edges;
  const b = window.edges;
  if (a !== b && (a.length !== b.length || a.some((e, i) => e !== b[i]))) {
    throw new IncompatibleBinsError(`${a.length + 1} vs ${b.length + 1} bins`);
  }
  if (reference.n === 0) throw new EmptySampleError('reference');
  if (window.n === 0) throw new EmptySampleError('window');
}

/**
 * Binned two-sample KS statistic with its exact-statistic bounds and p-value.
 *
 * @param reference - reference histogram
 * @param window - window histogram over the same edges
 * @throws {IncompatibleBinsError} different edges (not retriable)
 * @throws {EmptySampleError} a histogram holds no finite value (not retriable)
 * @example
 * const spec = referenceBins(ref, 50);
 * binnedKs(histogramOf(spec, ref), histogramOf(spec, win)); // { statistic, upperBound, pValue }
 */
export function binnedKs(reference: NumericHistogram, window: NumericHistogram): BinnedKsResult {
  assertComparable(reference, window);
  const edges = reference.edges;
  const nr = reference.n;
  const nw = window.n;
  let cr = 0;
  let cw = 0;
  let prevR = 0;
  let prevW = 0;
  let statistic = 0;
  let upper = 0;
  for (let i = 0; i < reference.counts.length; i++) {
    cr += reference.counts[i] as number;
    cw += window.counts[i] as number;
    const fr = i === edges.length ? 1 : cr / nr;
    const fw = i === edges.length ? 1 : cw / nw;
    const gap = Math.abs(fr - fw);
    if (gap > statistic) statistic = gap;
    const atom = i > 0 && i < edges.length && nextDown(edges[i] as number) === edges[i - 1];
    const inside = atom ? gap : Math.max(Math.abs(fr - prevW), Math.abs(prevR - fw));
    if (inside > upper) upper = inside;
    prevR = fr;
    prevW = fw;
  }
  return { statistic, upperBound: Math.max(upper, statistic), pValue: ksAsymptoticPValue(statistic, nr, nw) };
}
