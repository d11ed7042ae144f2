/**
 * Two-sided p-values of the reference distributions used by the version comparison, built on
 * {@link regularizedIncompleteBeta} and {@link regularizedUpperGamma} (not jStat, whose Student t
 * tail is only accurate to about 1e-8).
 */
import { regularizedIncompleteBeta, regularizedUpperGamma } from '../math/special-functions.ts';

/**
 * P(|Z| ≥ |z|) for a standard normal Z, i.e. erfc(|z|/√2) = Q(½, z²/2).
 * @example normalTwoSidedPValue(1.959963984540054) // ≈ 0.05
 */
export function normalTwoSidedPValue(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  return regularizedUpperGamma(0.5, (z * z) / 2);
}

/**
 * P(X ≥ x) for X ~ χ²(df): scipy.stats.chi2.sf(x, df).
 * @param df - degrees of freedom, > 0
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return regularizedUpperGamma(df / 2, x / 2);
}

/**
 * P(|T| ≥ |t|) for T ~ Student t(df): 2·scipy.stats.t.sf(|t|, df) = I_{df/(df+t²)}(df/2, ½).
 * @param df - degrees of freedom, > 0 (may be fractional, as in Welch's test)
 */
export function studentTTwoSidedPValue(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  const denominator = df + t2;
  return regularizedIncompleteBeta(df / denominator, df / 2, 0.5, t2 / denominator);
}
