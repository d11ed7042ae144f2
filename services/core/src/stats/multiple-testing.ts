/**
 * Multiple-testing corrections across the features of one window
 * (= statsmodels.stats.multitest.multipletests with method 'bonferroni' or
 * 'fdr_bh').
 */

import { InvalidOptionError, InvalidSampleError } from './errors.ts';

/** Correction method: family-wise (Bonferroni) or false discovery rate (Benjamini–Hochberg). */
export type CorrectionMethod = 'bonferroni' | 'fdr_bh';

/** Adjusted p-values and rejection decisions, in the order of the input. */
export interface CorrectionResult {
  reject: boolean[];
  pValuesCorrected: number[];
}

function validate(pValues: readonly number[], alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new InvalidOptionError('alpha', `${alpha}; must be in (0, 1)`);
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw new InvalidSampleError('pValues', `p-value ${p} at index ${i}`);
  });
}

/**
 * Bonferroni: reject when p ≤ α/m; adjusted p = min(1, m·p).
 *
 * @param pValues - p-values in [0, 1]
 * @param alpha - family-wise error rate (@default 0.05)
 * @throws {InvalidSampleError} a p-value outside [0, 1] or NaN (not retriable)
 * @example
 * bonferroni([0.01, 0.04]); // reject [true, false], corrected [0.02, 0.08]
 */
export function bonferroni(pValues: readonly number[], alpha = 0.05): CorrectionResult {
  validate(pValues, alpha);
  const m = pValues.length;
  return {
    reject: pValues.map((p) => p <= alpha / m),
    pValuesCorrected: pValues.map((p) => Math.min(1, p * m)),
  };
}

/**
 * Benjamini–Hochberg step-up: with sorted p₍₁₎ ≤ … ≤ p₍ₘ₎, reject the k smallest
 * where k is the largest i with p₍ᵢ₎ ≤ (i/m)·α; adjusted p₍ᵢ₎ = min_{j≥i} m·p₍ⱼ₎/j,
 * capped at 1.
 *
 * @param pValues - p-values in [0, 1]
 * @param alpha - false discovery rate (@default 0.05)
 * @throws {InvalidSampleError} a p-value outside [0, 1] or NaN (not retriable)
 * @example
 * benjaminiHochberg([0.01, 0.02, 0.03, 0.5]); // reject [true, true, true, false]
 */
export function benjaminiHochberg(pValues: readonly number[], alpha = 0.05): CorrectionResult {
  validate(pValues, alpha);
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const sorted = order.map((i) => pValues[i] as number);
  let lastReject = -1;
  sorted.forEach((p, i) => {
    if (p <= ((i + 1) / m) * alpha) lastReject = i;
  });
  const corrected = new Array<number>(m);
  let running = Infinity;
  for (let i = m - 1; i >= 0; i--) {
    running = Math.min(running, (sorted[i] as number) / ((i + 1) / m));
    corrected[i] = Math.min(1, running);
  }
  const reject = new Array<boolean>(m);
  const pValuesCorrected = new Array<number>(m);
  order.forEach((original, rank) => {
    reject[original] = rank <= lastReject;
    pValuesCorrected[original] = corrected[rank] as number;
  });
  return { reject, pValuesCorrected };
}

/**
 * Apply a correction by name (statsmodels' `multipletests(pvals, alpha, method)`).
 *
 * @param pValues - p-values in [0, 1]
 * @param method - 'bonferroni' or 'fdr_bh'
 * @param alpha - error rate (@default 0.05)
 * @throws {InvalidOptionError} unknown method; the message lists the valid ones (not retriable)
 * @example
 * multipleTests([0.01, 0.04], 'fdr_bh'); // reject [true, true], corrected [0.02, 0.04]
 */
export function multipleTests(
  pValues: readonly number[],
  method: CorrectionMethod,
  alpha = 0.05,
): CorrectionResult {
  if (method === 'bonferroni') return bonferroni(pValues, alpha);
  if (method === 'fdr_bh') return benjaminiHochberg(pValues, alpha);
  throw new InvalidOptionError('method', `"${String(method)}"; valid: bonferroni, fdr_bh`);
}
