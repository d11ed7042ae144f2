/**
 * Exact ROC AUC from raw arrays, for reference and for small windows: the Mann-Whitney statistic
 * with mid-ranks for ties, equal to sklearn's trapezoidal `roc_auc_score`. O(n log n) time and
 * O(n) memory, so not mergeable; the streaming state uses {@link binnedRocAuc} instead.
 */
import type { ClassScores } from './classification-state.ts';

/** How one-vs-rest AUCs are averaged (sklearn `average`): plain mean, or weighted by class prevalence. */
export type RocAucAverage = 'macro' | 'weighted';

/**
 * Exact AUC = P(score of a random positive > score of a random negative) + ½·P(tie).
 * @param scores - one score per sample
 * @param isPositive - whether each sample is of the positive class (same length as `scores`)
 * @returns null when there are no positives or no negatives
 * @example exactRocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]) // 0.75
 */
export function exactRocAuc(scores: readonly number[], isPositive: readonly boolean[]): number | null {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] ?? 0) - (scores[b] ?? 0));
  let positives = 0;
  let positiveRankSum = 0;
  let start = 0;
  while (start < order.length) {
    let end = start;
    const value = scores[order[start] ?? 0];
    while (end + 1 < order.length && scores[order[end + 1] ?? 0] === value) end += 1;
    const midRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) {
      if (isPositive[order[k] ?? 0] === true) {
        positives += 1;
        positiveRankSum += midRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Exact one-vs-rest AUC over the classes present in `trueLabels` (sklearn `roc_auc_score(...,
 * multi_class='ovr')`); a class missing from a sample's scores has score 0 there.
 * @param average - 'macro' (unweighted mean) or 'weighted' (by number of true samples of the class)
 * @returns null when fewer than two classes occur in `trueLabels`
 */
export function exactOvrRocAuc(
  trueLabels: readonly string[],
  scores: readonly ClassScores[],
  average: RocAucAverage,
): number | null {
  const classes = [...new Set(trueLabels)];
  if (classes.length < 2) return null;
  let weighted = 0;
  let totalWeight = 0;
  for (const label of classes) {
    const isPositive = trueLabels.map((t) => t === label);
    const auc = exactRocAuc(
      scores.map((row) => row[label] ?? 0),
      isPositive,
    );
    if (auc === null) continue;
    const weight = average === 'macro' ? 1 : isPositive.filter(Boolean).length;
    weighted += weight * auc;
    totalWeight += weight;
  }
  return weighted / totalWeight;
}
