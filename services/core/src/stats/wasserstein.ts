/**
 * 1-D Wasserstein (earth mover's) distance between two samples
 * (= scipy.stats.wasserstein_distance without weights), and Evidently's
 * normalised variant that divides by the reference standard deviation.
 */

import { sortedSample } from './sample.ts';

/**
 * Floor on the reference standard deviation used for normalisation, as Evidently's
 * `wasserstein` stattest: a constant reference feature (std 0) gives a finite,
 * large score instead of Infinity.
 */
export const MIN_REFERENCE_SCALE = 0.001;

/**
 * W₁(a, b) = ∫ |F_a(x) − F_b(x)| dx for the empirical CDFs of two samples.
 *
 * @param a - first sample, finite values
 * @param b - second sample, finite values
 * @throws {EmptySampleError} a sample is empty (not retriable)
 * @throws {InvalidSampleError} a sample holds NaN or ±Infinity (not retriable)
 * @example
 * wassersteinDistance([0, 1, 3], [5, 6, 8]); // 5
 */
export function wassersteinDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const sa = sortedSample(a, 'a');
  const sb = sortedSample(b, 'b');
  const n1 = sa.length;
  const n2 = sb.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let previous = Math.min(sa[0] as number, sb[0] as number);
  while (i < n1 || j < n2) {
    const ai = i < n1 ? (sa[i] as number) : Infinity;
    const bj = j < n2 ? (sb[j] as number) : Infinity;
    const v = ai <= bj ? ai : bj;
    // ECDFs are constant on [previous, v): add their gap times the width
    total += Math.abs(i / n1 - j / n2) * (v - previous);
    while (i < n1 && sa[i] === v) i++;
    while (j < n2 && sb[j] === v) j++;
    previous = v;
  }
  return total;
}

/**
 * Population standard deviation (ddof = 0, two-pass, as numpy.std).
 *
 * @param values - finite values, at least one
 * @example
 * populationStd([1, 2, 3, 4]); // 1.118033988749895
 */
export function populationStd(values: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < values.length; i++) mean += values[i] as number;
  mean /= values.length;
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += ((values[i] as number) - mean) ** 2;
  return Math.sqrt(ss / values.length);
}

/**
 * Wasserstein distance divided by max(std(reference), 0.001), Evidently's
 * `wasserstein` stattest (drift when ≥ 0.1 by default).
 *
 * @param reference - reference sample, finite values
 * @param current - current (window) sample, finite values
 * @throws {EmptySampleError} a sample is empty (not retriable)
 * @throws {InvalidSampleError} a sample holds NaN or ±Infinity (not retriable)
 * @example
 * normalizedWasserstein([0, 1, 2, 3], [1, 2, 3, 4]); // 1 / 1.118… ≈ 0.894
 */
export function normalizedWasserstein(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  const distance = wassersteinDistance(reference, current);
  return distance / Math.max(populationStd(reference), MIN_REFERENCE_SCALE);
}
