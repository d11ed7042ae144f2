/**
 * Wasserstein-1 distance from two histograms over the same edges.
 *
 * Approximation: each sample's mass in bin i is put at that sample's mean
 * within the bin (the histograms keep per-bin sums), and W₁ between the two
 * resulting discrete distributions is computed exactly. Means are preserved, so
 * the result is never below |mean_ref − mean_win|, like the exact W₁.
 *
 * Bound (triangle inequality for W₁): |W_binned − W| ≤ E_ref + E_win, where
 * E = Σ_i m_i · E|X − μ_i| over bin i is the cost of collapsing each bin onto
 * its mean. A distribution on [s, t] with mean μ has E|X − μ| ≤ 2(μ−s)(t−μ)/(t−s)
 * (the two-point distribution on {s, t} is extremal), which is at most (t−s)/2.
 * So, with bin masses m and widths w (each sample's bin range also clipped to
 * that sample's observed min and max), the returned `errorBound` is
 *   Σ_i [m_ref(i)·2(μ_r−s)(t−μ_r)/w_i + m_win(i)·2(μ_w−s)(t−μ_w)/w_i] ≤ Σ_i w_i (m_ref(i)+m_win(i))/2.
 * Atom bins (one double wide) contribute 0.
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

function clampedMean(h: NumericHistogram, i: number, s: number, t: number): number {
  return Math.min(t, Math.max(s, h.binMean(i)));
}

function collapseCost(mass: number, mean: number, s: number, t: number): number {
  const w = t - s;
  return w > 0 && mass > 0 ? (mass * 2 * (mean - s) * (t - mean)) / w : 0;
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
  let lastPosition = lo;
  for (let i = 0; i < k; i++) {
    const s = Math.max(i === 0 ? lo : (edges[i - 1] as number), lo);
    const t = Math.min(i === k - 1 ? hi : (edges[i] as number), hi);
    const nr = reference.counts[i] as number;
    const nw = window.counts[i] as number;
    if (nr === 0 && nw === 0) continue;
    const mr = nr > 0 ? clampedMean(reference, i, s, t) : Infinity;
    const mw = nw > 0 ? clampedMean(window, i, s, t) : Infinity;
    // Each sample's bin mass lies within the bin and within that sample's own [min, max].
    errorBound +=
      collapseCost(nr / reference.n, mr, Math.max(s, reference.min), Math.min(t, reference.max)) +
      collapseCost(nw / window.n, mw, Math.max(s, window.min), Math.min(t, window.max));
    // Walk the (at most two) atoms of this bin in order; the ECDF gap is constant between atoms.
    for (const [position, dr, dw] of mr <= mw
      ? [
          [mr, nr, 0],
          [mw, 0, nw],
        ]
      : [
          [mw, 0, nw],
          [mr, nr, 0],
        ]) {
      if (!Number.isFinite(position as number)) continue;
      distance += Math.abs(cr / reference.n - cw / window.n) * ((position as number) - lastPosition);
      cr += dr as number;
      cw += dw as number;
      lastPosition = position as number;
    }
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
