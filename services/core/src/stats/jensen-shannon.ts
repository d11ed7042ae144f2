/**
 * Jensen–Shannon distance between two discrete distributions
 * (= scipy.spatial.distance.jensenshannon(p, q, base=2)).
 *
 * Base 2 logarithms, so the distance lies in [0, 1]: 0 for identical
 * distributions, 1 for disjoint supports. (With natural logs, scipy's default,
 * the maximum is √ln2 ≈ 0.833.) Evidently's `jensenshannon` stattest uses the
 * natural log and a threshold of 0.1; the registry keeps 0.1 on the base-2 scale.
 */

import { EmptySampleError, InvalidSampleError } from './errors.ts';

function relativeEntropyTerm(x: number, y: number): number {
  // scipy.special.rel_entr
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

function normalised(weights: ArrayLike<number>, name: string): Float64Array {
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] as number;
    if (!(w >= 0) || !Number.isFinite(w)) throw new InvalidSampleError(name, `weight ${w} at index ${i}`);
    s += w;
  }
  if (s === 0) throw new EmptySampleError(name);
  return Float64Array.from(weights, (w) => w / s);
}

/**
 * Jensen–Shannon distance (base 2) between two weight vectors over the same
 * support; each is normalised to sum to 1 first, so counts can be passed as is.
 *
 * @param p - weights of the first distribution, ≥ 0
 * @param q - weights of the second distribution, ≥ 0, same length
 * @throws {EmptySampleError} a vector sums to 0 (not retriable)
 * @throws {InvalidSampleError} lengths differ or a weight is negative / not finite (not retriable)
 * @example
 * jensenShannonDistance([1, 0], [0.5, 0.5]); // ≈ 0.5579
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new InvalidSampleError('q', `${q.length} weights, p has ${p.length}`);
  const pn = normalised(p, 'p');
  const qn = normalised(q, 'q');
  let left = 0;
  let right = 0;
  for (let i = 0; i < pn.length; i++) {
    const pi = pn[i] as number;
    const qi = qn[i] as number;
    const m = (pi + qi) / 2;
    left += relativeEntropyTerm(pi, m);
    right += relativeEntropyTerm(qi, m);
  }
  // Rounding can make a zero divergence slightly negative; clamp instead of NaN.
  const js = Math.max(0, (left + right) / Math.LN2);
  return Math.sqrt(js / 2);
}
