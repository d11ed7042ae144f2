/**
 * Survival function of the two-sided one-sample KS statistic for finite n,
 * P(Dₙ ≥ x) (= scipy.stats.kstwo.sf(x, n)). scipy's ks_2samp uses it, with
 * n = round(n₁n₂/(n₁+n₂)), for its asymptotic p-value, so this is what the
 * two-sample test needs to agree with scipy.
 *
 * The choice of method per (n, x) region is Simard & L'Ecuyer's, as in scipy:
 * Ruben–Gambino closed forms at the ends, 2·Smirnov for x ≥ 0.5 or large nx²,
 * Durbin/MTW or Pomeranz for small n, Pelz–Good for large n.
 *
 * Simard R., L'Ecuyer P. (2011) "Computing the two-sided Kolmogorov-Smirnov
 * distribution", J. Stat. Softw. 39(11). https://doi.org/10.18637/jss.v039.i11
 * Pelz W., Good I.J. (1976) J. R. Stat. Soc. B 38(2), 152–156.
 */

import { durbinCdf } from './kolmogorov-durbin.ts';
import { pomeranzCdf } from './kolmogorov-pomeranz.ts';
import { smirnovSf } from './smirnov.ts';

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const SQRT3 = Math.sqrt(3);
const MIN_LOG = -708;
// Stirling series coefficients B_{2j}/(2j(2j−1)), highest order first.
const STIRLING = [
  -0.029550653594771242, 0.00641025641025641, -0.0019175269175269176, 0.0008417508417508417,
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
] as const;

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}

function logFactorialOverPower(n: number): number {
  // log(n!/nⁿ) by Stirling, with n·log n removed up front against cancellation
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = (K[i] as number) * qp + (coeffs[i] as number);
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = ((K[i] as number) * q * SQRT2PI) / (divisors[i] as number);
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = SQRT3 * z;
  for (let k = maxK; k > 0; k--) {
    const k2 = k * k;
    const qk = q ** k2;
    k2extra += k2 * qk;
    k3extra += (sqrt3z + Math.PI * k) * (sqrt3z - Math.PI * k) * k2 * qk;
  }
  K[2] = (K[2] as number) + (k2extra * PI2 * SQRT2PI) / (-36 * z2 * z);
  K[3] = (K[3] as number) + (k3extra * PI2 * SQRT2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += (K[i] as number) / n ** (i / 2);
  return sum;
}

function rubenGambinoLowSf(n: number, t: number): number {
  if (t <= 0.5) return 1;
  let cdf: number;
  if (n <= 140) {
    cdf = 1;
    for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
  } else {
    cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
  }
  return clip(1 - cdf);
}

/**
 * P(Dₙ ≥ x) for the two-sided one-sample Kolmogorov–Smirnov statistic
 * (= scipy.stats.kstwo.sf(x, n)).
 *
 * @param n - sample size, integer ≥ 1
 * @param x - statistic
 * @example
 * kolmogorovSf(100, 0.1); // ≈ 0.2527
 */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) return rubenGambinoLowSf(n, t);
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nxx = t * x;
  if (n <= 140) {
    if (nxx <= 0.754693) return clip(1 - durbinCdf(n, x));
    if (nxx <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxx >= 370) return 0;
  if (nxx >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}
