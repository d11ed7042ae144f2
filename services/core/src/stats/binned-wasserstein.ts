/**
 * Wasserstein-1 distance from two histograms over the same edges.
 *
 * The outer bins are closed with the observed min and max (tracked by the
 * histograms), so every bin i spans a finite [s_i, t_i]. Within a bin the
 * approximation spreads each sample's bin mass uniformly (linear ECDF between
 * the exact values at the bin ends) and integrates |L_ref − L_win| exactly.
 *
 * Bound: for a monotone ECDF F and its chord L over a bin of width w and mass m,
 * ∫|F − L| ≤ w·m/2 (a monotone F is a mixture of single steps, for which the
 * integral is m(s² + (w−s)²)/2w ≤ wm/2). Hence
 *   |W_binned − W| ≤ Σ_i w_i · (mass_ref(i) + mass_win(i)) / 2,
 * returned as `errorBound`. Atom bins (one double wide) have w = 0.
 */

import { assertComparable } from './binned-ks.ts';
import type { NumericHistogram } from './numeric-histogram.ts';
import { MIN_REFERENCE_SCALE } from './wasserstein.ts';

/** Result of {@link binnedWasserstein}. */
export interface BinnedWassersteinResult {
  /** approximate W₁ distance */
  distance: number;
  /** guaranteed bound on |distance − exact W₁| */
  errorBound: number;
}

function chordGapIntegral(d0: number, d1: number, width: number): number {
  // ∫ |linear from d0 to d1| over width
  if (d0 * d1 >= 0) return (width * (Math.abs(d0) + Math.abs(d1))) / 2;
  return (width * (d0 * d0 + d1 * d1)) / (2 * (Math.abs(d0) + Math.abs(d1)));
}

/**
 * Binned Wasserstein-1 distance with a guaranteed error bound.
 *
 * @param reference - reference histogram
 * @param window - window histogram over the same edges
 * @throws {IncompatibleBinsError} different edges (not retriable)
 * @throws {EmptySampleError} a histogram holds no finite value (not retriable)
 * @example
 * binnedWasserstein(refHistogram, windowHistogram); // { distance, errorBound }
 */
export function binnedWasserstein(
  reference: NumericHistogram,
  window: NumericHistogram,
): BinnedWassersteinResult {
  assertComparable(reference, window);
  const edges = reference.edges;
  const lo = Math.min(reference.min, window.min);
  const hi = Math.max(reference.max, window.max);
  const k = reference.counts.length;
  let cr = 0;
  let cw = 0;
  let distance = 0;
  let errorBound = 0;
  for (let i = 0; i < k; i++) {
    const s = Math.max(i === 0 ? lo : (edges[i - 1] as number), lo);
    const t = Math.min(i === k - 1 ? hi : (edges[i] as number), hi);
    const width = Math.max(0, t - s);
    const d0 = cr / reference.n - cw / window.n;
    cr += reference.counts[i] as number;
    cw += window.counts[i] as number;
    const mr = (reference.counts[i] as number) / reference.n;
    const mw = (window.counts[i] as number) / window.n;
    distance += chordGapIntegral(d0, i === k - 1 ? 0 : cr / reference.n - cw / window.n, width);
    errorBound += (width * (mr + mw)) / 2;
  }
  return { distance, errorBound };
}

/**
 * Binned Wasserstein distance divided by max(reference std, 0.001), the
 * histogram counterpart of `normalizedWasserstein`. The error bound is scaled
 * the same way.
 *
 * @param reference - reference histogram
 * @param window - window histogram over the same edges
 * @throws {IncompatibleBinsError} different edges (not retriable)
 * @throws {EmptySampleError} a histogram holds no finite value (not retriable)
 * @example
 * binnedNormalizedWasserstein(refHistogram, windowHistogram).distance; // ≥ 0.1 means drift
 */
export function binnedNormalizedWasserstein(
  reference: NumericHistogram,
  window: NumericHistogram,
): BinnedWassersteinResult {
  const raw = binnedWasserstein(reference, window);
  const scale = Math.max(reference.std, MIN_REFERENCE_SCALE);
  return { distance: raw.distance / scale, errorBound: raw.errorBound / scale };
}
