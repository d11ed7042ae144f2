/**
 * Precision, recall and F1 per class from confusion counts, with sklearn's
 * `precision_recall_fscore_support(..., zero_division=0)` semantics:
 * - the labels are those seen as true or predicted (sklearn's `unique_labels(y_true, y_pred)`);
 *   labels known only from score keys are left out;
 * - precision of a never-predicted class, recall of a class with no true samples, and F1 when
 *   2·TP + FP + FN = 0 are 0;
 * - F1 = 2·TP / (2·TP + FP + FN), sklearn's formula (equal to 2PR/(P+R) up to rounding).
 */
import type { ClassificationState } from './classification-state.ts';

/** Scores of one class. */
export interface ClassScore {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Number of samples whose true label is this class. */
  readonly support: number;
  /** Number of samples predicted as this class. */
  readonly predicted: number;
  readonly truePositives: number;
}

/** Averages over the classes of {@link perClassScores}. */
export interface AveragedScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Per-class scores, sorted by label (UTF-16 code unit order). Empty for an empty state. */
export function perClassScores(state: ClassificationState): ClassScore[] {
  const k = state.labels.length;
  const scores: ClassScore[] = [];
  for (let c = 0; c < k; c++) {
    let support = 0;
    let predicted = 0;
    for (let o = 0; o < k; o++) {
      support += state.confusionCount(c, o);
      predicted += state.confusionCount(o, c);
    }
    if (support === 0 && predicted === 0) continue;
    const tp = state.confusionCount(c, c);
    const fp = predicted - tp;
    const fn = support - tp;
    scores.push({
      label: state.labels[c] ?? '',
      precision: predicted === 0 ? 0 : tp / predicted,
      recall: support === 0 ? 0 : tp / support,
      f1: 2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn),
      support,
      predicted,
      truePositives: tp,
    });
  }
  return scores.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/**
 * Macro (unweighted mean) or weighted (by support) averages; null when there are no classes or
 * no support.
 */
export function averageScores(
  scores: readonly ClassScore[],
  average: 'macro' | 'weighted',
): AveragedScores | null {
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  let weights = 0;
  for (const s of scores) {
    const w = average === 'macro' ? 1 : s.support;
    precision += w * s.precision;
    recall += w * s.recall;
    f1 += w * s.f1;
    weights += w;
  }
  if (weights === 0) return null;
  return { precision: precision / weights, recall: recall / weights, f1: f1 / weights };
}
