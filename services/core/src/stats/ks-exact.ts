/**
 * Exact null distribution of the two-sample KS statistic by lattice-path
 * counting (Hodges 1958): the proportion of monotone paths from (0,0) to (m,n)
 * that leave the band |x/m − y/n| < h/lcm(m,n).
 *
 * Unequal sizes use the "inside" recursion rewritten to produce 1 − p directly
 * (Viehmann 2021, arXiv:2102.08037), which keeps small p-values accurate; equal
 * sizes use the closed alternating sum in Horner form. Both follow scipy's
 * `_compute_outer_prob_inside_method` / `_compute_prob_outside_square`.
 *
 * Hodges J.L. (1958) "The significance probability of the Smirnov two-sample
 * test", Arkiv för Matematik 3(43), 469–486.
 */

function outsideSquare(n: number, h: number): number {
  // P(D_{n,n} ≥ h/n) = 2 Σ_k (−1)^k C(2n, n−(k+1)h)/C(2n, n), in Horner form
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

function outsideBand(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const A = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = ((A[jj + minj - lastminj] as number) * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, curlen, curlen + (lastlen - curlen));
  }
  return A[maxj - minj - 1] as number;
}

/**
 * Exact two-sided p-value P(D_{n1,n2} ≥ h/lcm(n1,n2)) of the two-sample KS test,
 * or `null` when the recursion leaves [0, 1] through rounding (the caller then
 * falls back to the asymptotic distribution, as scipy does).
 *
 * @param n1 - first sample size, integer ≥ 1
 * @param n2 - second sample size, integer ≥ 1
 * @param h - statistic times lcm(n1, n2), an integer
 * @example
 * exactTwoSampleSf(5, 5, 3); // P(D ≥ 0.6) ≈ 0.357
 */
export function exactTwoSampleSf(n1: number, n2: number, h: number): number | null {
  if (h === 0) return 1;
  const g = gcd(n1, n2);
  const p = n1 === n2 ? outsideSquare(n1, h) : outsideBand(n1, n2, g, h);
  return p >= 0 && p <= 1 ? p : null;
}

/**
 * Greatest common divisor of two non-negative integers.
 *
 * @param a - integer ≥ 0
 * @param b - integer ≥ 0
 * @example
 * gcd(12, 18); // 6
 */
export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
