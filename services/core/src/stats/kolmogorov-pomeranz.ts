/**
 * P(Dₙ ≤ d) for the two-sided one-sample KS statistic by Pomeranz's recursion:
 * 2n+1 convolutions of a short row with (almost) Poisson weights, keeping only
 * the non-zero stretch of each row and rescaling by 2^128 against underflow.
 * The index bookkeeping follows scipy's `_kolmogn_Pomeranz` so the two agree to
 * rounding.
 *
 * Pomeranz J. (1974) "Exact cumulative distribution of the Kolmogorov-Smirnov
 * statistic for small samples (Algorithm 487)", CACM 17(12), 703–704.
 */

import { ldexp } from './float-bits.ts';

const E128 = 128;
const P128 = 2 ** 128;
const M128 = 2 ** -128;

interface Shape {
  n: number;
  ll: number;
  ceilF: number;
  roundF: number;
}

function rowBounds(i: number, s: Shape): [number, number] {
  const { n, ll, ceilF, roundF } = s;
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

function scaledPowers(count: number, ratio: number): Float64Array {
  // ratio^m / m!: Poisson probabilities without the normalising factor
  const out = new Float64Array(count);
  out[0] = 1;
  for (let m = 1; m < count; m++) out[m] = ((out[m - 1] as number) * ratio) / m;
  return out;
}

/**
 * CDF of the two-sided one-sample KS statistic by the Pomeranz recursion.
 *
 * @param n - sample size, integer ≥ 1
 * @param x - statistic in (0, 1)
 * @example
 * pomeranzCdf(20, 0.3); // ≈ 0.9569
 */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const shape: Shape = { n, ll, ceilF: f > 0 ? 1 : 0, roundF: f > 0.5 ? 1 : 0 };
  const width = 2 * (ll + 1);
  const gPow = scaledPowers(width, g / n);
  const twoGPow = scaledPowers(width, (2 * g) / n);
  const oneMinusTwoGPow = scaledPowers(width, (1 - 2 * g) / n);

  let v0 = new Float64Array(width);
  let v1 = new Float64Array(width);
  v1[0] = 1;
  let v0Start = 0;
  let v1Start = 0;
  let exponent = 0;
  let [j1] = rowBounds(0, shape);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0Start, v1Start] = [v1Start, v0Start];
    v1.fill(0);
    const bounds = rowBounds(i, shape);
    j1 = bounds[0];
    const j2 = bounds[1];
    const weights = i === 1 || i === 2 * n + 1 ? gPow : i % 2 === 1 ? twoGPow : oneMinusTwoGPow;
    const len = j2 - k1 + 1;
    if (len > 0) {
      const segStart = k1 - v0Start;
      const segLen = Math.min(len, width - segStart);
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let max = 0;
      for (let r = 0; r < convLen; r++) {
        const idx = convStart + r;
        let acc = 0;
        const lo = Math.max(0, idx - (len - 1));
        const hi = Math.min(idx, segLen - 1);
        for (let a = lo; a <= hi; a++) acc += (v0[segStart + a] as number) * (weights[idx - a] as number);
        v1[r] = acc;
        if (acc > max) max = acc;
      }
      if (max > 0 && max < M128) {
        for (let r = 0; r < convLen; r++) v1[r] = (v1[r] as number) * P128;
        exponent -= E128;
      }
      v1Start = v0Start + j1 - k1;
    }
  }
  let answer = v1[n - v1Start] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > P128) {
      answer *= M128;
      exponent += E128;
    }
    answer *= m;
  }
  if (exponent !== 0) answer = ldexp(answer, exponent);
  return Math.min(1, Math.max(0, answer));
}
