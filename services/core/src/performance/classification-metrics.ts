/**
 * Metrics of a {@link ClassificationState} as a flat list of `{ metric, value }` rows.
 *
 * Undefined metrics are omitted, never null or NaN: an empty window yields only `count` and
 * `scored_count` (both 0); score-based metrics (`log_loss`, `brier`, `ece`, `roc_auc*`) need
 * scored samples; `roc_auc` needs two labels among the true labels of scored samples.
 *
 * - accuracy, precision/recall/F1 per class, macro and weighted: sklearn semantics with
 *   zero_division=0 (see {@link perClassScores}).
 * - log_loss: mean of −ln clip(p_true, ε, 1 − ε) over scored samples (sklearn `log_loss`).
 * - brier: with at most two labels, ½·mean Σ_c (p_c − y_c)², which is sklearn ≥ 1.7
 *   `brier_score_loss` (scale_by_half='auto') and, for complementary scores, the classic binary
 *   Brier score mean (p_pos − y_pos)²; with three or more labels, mean Σ_c (p_c − y_c)² (no ½).
 * - ece: expected calibration error over the top-class confidence (see {@link CalibrationBins}).
 * - roc_auc, roc_auc_weighted: binned AUC, with `*_max_error` bounds (see {@link stateRocAuc}).
 */
import type { ClassificationState } from './classification-state.ts';
import { CLASSIFICATION_METRICS as M, perClassMetricName } from './metric-names.ts';
import type { MetricValue } from './metric-names.ts';
import { averageScores, perClassScores } from './per-class-scores.ts';
import { stateRocAuc } from './state-roc-auc.ts';

/** Options of {@link classificationMetrics}. */
export interface ClassificationMetricsOptions {
  /** Positive label for the binary ROC AUC. @default the larger of the two labels */
  readonly positiveLabel?: string;
}

/** Confusion matrix over the labels seen as true or predicted, sorted; rows are true labels. */
export interface ConfusionMatrix {
  readonly labels: readonly string[];
  readonly matrix: readonly (readonly number[])[];
}

/** The confusion matrix of `state` (sklearn `confusion_matrix(y_true, y_pred)` layout). */
export function confusionMatrix(state: ClassificationState): ConfusionMatrix {
  const labels = perClassScores(state).map((s) => s.label);
  const index = labels.map((label) => state.indexOfLabel(label) ?? 0);
  return { labels, matrix: index.map((t) => index.map((p) => state.confusionCount(t, p))) };
}

/**
 * All defined metrics of `state`.
 * @throws {InvalidOptionError} when `positiveLabel` is not a known label (not retriable)
 * @example
 * const s = new ClassificationState().update('a', 'a').update('b', 'a');
 * classificationMetrics(s).find((m) => m.metric === 'accuracy'); // { metric: 'accuracy', value: 0.5 }
 */
export function classificationMetrics(
  state: ClassificationState,
  options: ClassificationMetricsOptions = {},
): MetricValue[] {
  const out: MetricValue[] = [];
  const push = (metric: string, value: number): void => {
    out.push({ metric, value });
  };
  push(M.count, state.count);
  push(M.scoredCount, state.scoredCount);
  pushCountMetrics(state, push);
  if (state.scoredCount > 0) pushScoreMetrics(state, options, push);
  return out;
}

type Push = (metric: string, value: number) => void;

function pushCountMetrics(state: ClassificationState, push: Push): void {
  if (state.count === 0) return;
  const scores = perClassScores(state);
  const correct = scores.reduce((acc, s) => acc + s.truePositives, 0);
  push(M.accuracy, correct / state.count);
  const macro = averageScores(scores, 'macro');
  const weighted = averageScores(scores, 'weighted');
  if (macro !== null) {
    push(M.precisionMacro, macro.precision);
    push(M.recallMacro, macro.recall);
    push(M.f1Macro, macro.f1);
  }
  if (weighted !== null) {
    push(M.precisionWeighted, weighted.precision);
    push(M.recallWeighted, weighted.recall);
    push(M.f1Weighted, weighted.f1);
  }
  for (const s of scores) {
    push(perClassMetricName('precision', s.label), s.precision);
    push(perClassMetricName('recall', s.label), s.recall);
    push(perClassMetricName('f1', s.label), s.f1);
    push(perClassMetricName('support', s.label), s.support);
  }
}

function pushScoreMetrics(
  state: ClassificationState,
  options: ClassificationMetricsOptions,
  push: Push,
): void {
  const n = state.scoredCount;
  push(M.logLoss, state.logLossSum / n);
  push(M.brier, (state.activeLabels.length <= 2 ? 0.5 : 1) * (state.brierSum / n));
  const ece = state.calibrationBins.expectedCalibrationError();
  if (ece !== null) push(M.ece, ece);
  const auc = stateRocAuc(state, options.positiveLabel);
  if (auc?.kind === 'binary') {
    push(M.rocAuc, auc.auc.auc);
    push(M.rocAucMaxError, auc.auc.maxError);
  } else if (auc?.kind === 'ovr') {
    push(M.rocAuc, auc.macro.auc);
    push(M.rocAucMaxError, auc.macro.maxError);
    push(M.rocAucWeighted, auc.weighted.auc);
    push(M.rocAucWeightedMaxError, auc.weighted.maxError);
  }
}

/** Looks a metric up in a list from {@link classificationMetrics} or `regressionMetrics`. */
export function metricValue(metrics: readonly MetricValue[], name: string): number | undefined {
  return metrics.find((m) => m.metric === name)?.value;
}
