/**
 * ROC AUC of a {@link ClassificationState} from its binned histograms, with the error bound of
 * {@link binnedRocAuc}:
 * - binary (at most two labels known): AUC of the positive label's score, as sklearn
 *   `roc_auc_score(y_true, proba[:, 1])`; the positive label defaults to the larger label (sklearn's
 *   `classes_[1]`). With complementary scores (p_neg = 1 − p_pos) either label gives the same AUC.
 * - multiclass: one-vs-rest over the labels that occur as true labels of scored samples, averaged
 *   'macro' or 'weighted' by prevalence, as `roc_auc_score(..., multi_class='ovr')`. Labels never
 *   seen as true are left out (sklearn would raise). The bound of an average is the same average
 *   of the per-class bounds.
 * Undefined (null) when fewer than two labels occur as true labels of scored samples.
 */
import { binnedRocAuc } from './binned-roc-auc.ts';
import type { BinnedRocAuc } from './binned-roc-auc.ts';
import type { ClassificationState } from './classification-state.ts';
import { InvalidOptionError } from './errors.ts';

/** An AUC estimate and the bound on its distance to the exact AUC. */
export interface RocAucEstimate {
  readonly auc: number;
  readonly maxError: number;
}

/** Which AUC figures apply: binary has one, multiclass a macro and a weighted average. */
export type StateRocAuc =
  | { readonly kind: 'binary'; readonly positiveLabel: string; readonly auc: RocAucEstimate }
  | { readonly kind: 'ovr'; readonly macro: RocAucEstimate; readonly weighted: RocAucEstimate };

function classAuc(state: ClassificationState, index: number): BinnedRocAuc | null {
  const histograms = state.scoreHistograms(index);
  return histograms === undefined ? null : binnedRocAuc(histograms.positive, histograms.negative);
}

/**
 * ROC AUC of the scored samples of `state`, or null when undefined.
 * @param positiveLabel - binary positive label; must be one of the state's labels
 * @throws {InvalidOptionError} when `positiveLabel` is not a known label (not retriable)
 */
export function stateRocAuc(state: ClassificationState, positiveLabel?: string): StateRocAuc | null {
  const labels = state.labels;
  if (positiveLabel !== undefined && state.indexOfLabel(positiveLabel) === undefined) {
    throw new InvalidOptionError('positiveLabel', positiveLabel, JSON.stringify(labels));
  }
  // Labels no held sample carries any more (after a retraction) do not make a state multiclass.
  const active = state.activeLabels;
  if (active.length <= 2) {
    const positive = positiveLabel ?? [...active].sort().at(-1);
    const index = positive === undefined ? undefined : state.indexOfLabel(positive);
    const result = index === undefined ? null : classAuc(state, index);
    if (result === null || positive === undefined) return null;
    return { kind: 'binary', positiveLabel: positive, auc: { auc: result.auc, maxError: result.maxError } };
  }
  const perClass = labels.map((_, c) => classAuc(state, c)).filter((r): r is BinnedRocAuc => r !== null);
  if (perClass.length < 2) return null;
  return { kind: 'ovr', macro: average(perClass, () => 1), weighted: average(perClass, (r) => r.positives) };
}

function average(results: readonly BinnedRocAuc[], weight: (r: BinnedRocAuc) => number): RocAucEstimate {
  let auc = 0;
  let maxError = 0;
  let total = 0;
  for (const r of results) {
    const w = weight(r);
    auc += w * r.auc;
    maxError += w * r.maxError;
    total += w;
  }
  return { auc: auc / total, maxError: maxError / total };
}
