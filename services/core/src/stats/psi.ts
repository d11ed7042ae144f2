/**
 * Population Stability Index over shared bins or categories (Evidently's `psi`
 * stattest; drift when ≥ 0.1 by default):
 *   PSI = Σ (c_i − r_i) · ln(c_i / r_i)
 * with r, c the reference and current proportions per bin.
 */

import { EmptySampleError, InvalidSampleError } from './errors.ts';

/** Proportion given to an empty bin, as Evidently (see {@link emptyBinProportion}). */
export const PSI_EPSILON = 1e-4;

/**
 * The proportion an empty bin is given so the logarithm stays finite: 1e-4, or,
 * when some non-empty bin is itself at most 1e-4, that smallest proportion / 1e6
 * (Evidently's `get_binned_data` rule, so an empty bin never outweighs a
 * non-empty one).
 *
 * @param proportions - proportions of one side
 * @param epsilon - the usual floor (@default 1e-4)
 * @example
 * emptyBinProportion([0.5, 0.5, 0]); // 1e-4
 */
export function emptyBinProportion(proportions: ArrayLike<number>, epsilon = PSI_EPSILON): number {
  let smallest = Infinity;
  for (let i = 0; i < proportions.length; i++) {
    const p = proportions[i] as number;
    if (p > 0 && p < smallest) smallest = p;
  }
  return smallest <= epsilon ? smallest / 1e6 : epsilon;
}

function proportions(counts: ArrayLike<number>, name: string, epsilon: number): Float64Array {
  let n = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    if (!(c >= 0) || !Number.isFinite(c)) throw new InvalidSampleError(name, `count ${c} at index ${i}`);
    n += c;
  }
  if (n === 0) throw new EmptySampleError(name);
  const p = Float64Array.from(counts, (c) => c / n);
  const floor = emptyBinProportion(p, epsilon);
  for (let i = 0; i < p.length; i++) if (p[i] === 0) p[i] = floor;
  return p;
}

/**
 * Population Stability Index of two count vectors over the same bins.
 *
 * @param reference - reference counts per bin
 * @param current - current counts per bin, same length
 * @param epsilon - proportion of an empty bin (@default 1e-4, see {@link emptyBinProportion})
 * @throws {EmptySampleError} a side has no counts (not retriable)
 * @throws {InvalidSampleError} lengths differ or a count is negative / not finite (not retriable)
 * @example
 * psi([50, 50], [40, 60]); // (0.4−0.5)·ln(0.8) + (0.6−0.5)·ln(1.2) ≈ 0.0405
 */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>, epsilon = PSI_EPSILON): number {
  if (reference.length !== current.length) {
    throw new InvalidSampleError('current', `${current.length} bins, reference has ${reference.length}`);
  }
  const r = proportions(reference, 'reference', epsilon);
  const c = proportions(current, 'current', epsilon);
  let total = 0;
  for (let i = 0; i < r.length; i++) {
    const ri = r[i] as number;
    const ci = c[i] as number;
    total += (ci - ri) * Math.log(ci / ri);
  }
  return total;
}
