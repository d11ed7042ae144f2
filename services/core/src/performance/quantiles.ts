/**
 * Quantile functions (inverse CDFs) for the verdict tests' intervals: the standard normal's, refined to
 * full precision against {@link normalSf}, and Student t's, found by bisection on its tail.
 */
import { normalSf } from '../math/special-functions.ts';
import { studentTTwoSidedPValue } from './p-values.ts';

// Acklam's rational approximation (relative error 1.15e-9), then one Halley step on the exact tail.
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

function acklam(p: number): number {
  const poly = (c: number[], x: number) => c.reduce((acc, k) => acc * x + k, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / (poly(D, q) * q + 1);
  }
  if (p > 1 - 0.02425) return -acklam(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

/**
 * The standard normal quantile: scipy.stats.norm.ppf(p).
 * @param p - probability in (0, 1); 0 and 1 give ∓Infinity
 * @example normalQuantile(0.975) // ≈ 1.959963984540054
 */
export function normalQuantile(p: number): number {
  if (!(p > 0)) return p === 0 ? -Infinity : Number.NaN;
  if (!(p < 1)) return p === 1 ? Infinity : Number.NaN;
  // The upper half by symmetry: 1 − p is exact there, while Φ(x) near 1 would lose the tail's digits.
  if (p > 0.5) return -normalQuantile(1 - p);
  const x = acklam(p);
  const e = normalSf(-x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/**
 * The upper quantile t with P(T ≥ t) = q for T ~ Student t(df): scipy.stats.t.isf(q, df), q in (0, ½].
 * Bisection on the two-sided tail (its precision is the tail's, about 1e-12 relative).
 * @example studentTUpperQuantile(0.025, 10) // ≈ 2.228138851986274
 */
export function studentTUpperQuantile(q: number, df: number): number {
  if (!(q > 0 && q <= 0.5) || !(df > 0)) return Number.NaN;
  if (q === 0.5) return 0;
  let low = 0;
  let high = 1;
  while (studentTTwoSidedPValue(high, df) / 2 > q) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-14 * high; i++) {
    const mid = (low + high) / 2;
    if (studentTTwoSidedPValue(mid, df) / 2 > q) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
