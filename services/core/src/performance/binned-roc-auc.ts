/**
 * ROC AUC from score histograms over shared bins, counting every positive/negative pair in the same
 * bin as a tie (½). Pairs in different bins are ordered exactly, because binning is monotone, so
 * the only error comes from same-bin pairs, each off by at most ½:
 *
 *   |AUC_binned − AUC_exact| ≤ ½ · Σ_b pos_b · neg_b / (P · N)  =: maxError
 *
 * (at most half the probability mass of pairs that share a bin). Pairs with exactly equal scores
 * are ties in the exact AUC too, so heavily tied scores lose nothing.
 */

/** Binned AUC with its error bound. */
export interface BinnedRocAuc {
  /** Mann-Whitney AUC with same-bin pairs counted as ties. */
  readonly auc: number;
  /** Upper bound on |auc − exact AUC| (see module comment). */
  readonly maxError: number;
  readonly positives: number;
  readonly negatives: number;
}

/**
 * AUC of one class against the rest from its positive and negative score histograms.
 * @param positive - counts per bin of scores of samples of the class
 * @param negative - counts per bin (same bins) of scores of samples of other classes
 * @returns null when there are no positives or no negatives (AUC undefined)
 * @example binnedRocAuc([0, 1, 1], [1, 1, 0]) // { auc: 0.875, maxError: 0.125, positives: 2, negatives: 2 }
 */
export function binnedRocAuc(positive: ArrayLike<number>, negative: ArrayLike<number>): BinnedRocAuc | null {
  let negativesBelow = 0;
  let positives = 0;
  let wins = 0;
  let samebinPairs = 0;
  for (let b = 0; b < positive.length; b++) {
    const pos = positive[b] ?? 0;
    const neg = negative[b] ?? 0;
    wins += pos * (negativesBelow + 0.5 * neg);
    samebinPairs += pos * neg;
    negativesBelow += neg;
    positives += pos;
  }
  if (positives === 0 || negativesBelow === 0) return null;
  const pairs = positives * negativesBelow;
  return { auc: wins / pairs, maxError: (0.5 * samebinPairs) / pairs, positives, negatives: negativesBelow };
}
