/**
 * P(Dₙ ≤ d) for the two-sided one-sample KS statistic by Durbin's matrix method,
 * in the form of Marsaglia, Tsang & Wang: the k-th diagonal entry of Hⁿ times
 * n!/nⁿ, with H of size (2k−1)², k = ⌈nd⌉. Intermediate powers are rescaled by
 * 2^128 and the exponent is carried separately, as scipy's `_kolmogn_DMTW` does.
 *
 * Durbin J. (1968) Ann. Math. Statist. 39, 398–411.
 * Marsaglia G., Tsang W.W., Wang J. (2003) "Evaluating Kolmogorov's distribution",
 * J. Stat. Softw. 8(18). https://doi.org/10.18637/jss.v008.i18
 */

import { ldexp } from './float-bits.ts';

const E128 = 128;
const P128 = 2 ** 128;
const M128 = 2 ** -128;

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l] as number;
      if (ail === 0) continue;
      for (let j = 0; j < m; j++)
        out[i * m + j] = (out[i * m + j] as number) + ail * (b[l * m + j] as number);
    }
  }
  return out;
}

function initialMatrix(k: number, h: number): Float64Array {
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  const H = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1] as number;
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number;
  return H;
}

/**
 * CDF of the two-sided one-sample KS statistic by the Durbin/MTW matrix method.
 *
 * @param n - sample size, integer ≥ 1
 * @param d - statistic
 * @example
 * durbinCdf(10, 0.274); // ≈ 0.6285
 */
export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const m = 2 * k - 1;
  let H = initialMatrix(k, k - nd);
  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  const diag = (k - 1) * m + (k - 1);
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) {
      power = multiply(power, H, m);
      exponent += hExponent;
    }
    H = multiply(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[diag] as number) > P128) {
      for (let i = 0; i < H.length; i++) H[i] = (H[i] as number) / P128;
      hExponent += E128;
    }
  }
  let p = power[diag] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < M128) {
      p *= P128;
      exponent -= E128;
    }
  }
  return Math.min(1, Math.max(0, exponent !== 0 ? ldexp(p, exponent) : p));
}
