/**
 * Estimated metrics of a window from its {@link EstimateState}, each with the standard error of the realized
 * figure around it (its sampling-error band is estimate ± z·se):
 * - accuracy: exact Poisson-binomial sd of the number of right predictions, / n;
 * - precision:c: the same over the predictions of c (their count is known, only the hits are random);
 * - recall:c and f1:c: binomial se with the expected denominator (support; TP + (FP + FN)/2);
 *   f1_macro: the mean's se from the classes' (treated as independent);
 * - roc_auc: Hanley & McNeil (1982) with the expected numbers of positives and negatives; one-vs-rest
 *   macro for more than two classes (NannyML's average), the positive class's for two.
 * Formulas of the point estimates follow NannyML's CBPE (expected TP, FP, FN from calibrated probabilities).
 */
// Compensated summation: a macro average over many classes keeps its last digits.
import { mean } from 'simple-statistics';
import type { EstimateState } from './estimate-state.ts';

/** One estimated figure with its standard error and the denominator it stands on. */
export interface EstimatedFigure {
  readonly metric: string;
  readonly value: number;
  readonly stdError: number;
  /** Events (accuracy, roc_auc), predictions of the class (precision), expected support (recall), ... */
  readonly count: number;
}

/** All estimated figures of a window (empty when it has no estimated events). */
export function estimateMetrics(state: EstimateState): EstimatedFigure[] {
  if (state.count === 0) return [];
  const k = state.classes.length;
  const out: EstimatedFigure[] = [accuracyFigure(state)];
  const f1: EstimatedFigure[] = [];
  for (let c = 0; c < k; c++) {
    const perClass = classFigures(state, c);
    out.push(...perClass);
    f1.push(perClass[2]!);
  }
  const binary = k === 2;
  const macroSe = Math.sqrt(f1.reduce((a, f) => a + f.stdError ** 2, 0)) / k;
  out.push({
    metric: 'f1_macro',
    value: k > 0 ? mean(f1.map((f) => f.value)) : NaN, // simple-statistics refuses an empty list
    stdError: macroSe,
    count: state.count,
  });
  const aucs = state.classes.map((_, c) => rocAucFigure(state, c));
  const used = binary ? [aucs[1]!] : aucs;
  if (used.every((a) => a !== null)) {
    const se = Math.sqrt(used.reduce((a, f) => a + f!.stdError ** 2, 0)) / used.length;
    out.push({ metric: 'roc_auc', value: mean(used.map((a) => a!.value)), stdError: se, count: state.count });
  }
  return out;
}

function accuracyFigure(s: EstimateState): EstimatedFigure {
  let hits = 0;
  let variance = 0;
  s.classes.forEach((_, c) => {
    hits += s.expected[c]![c]!;
    variance += s.hitVariance[c]!;
  });
  return {
    metric: 'accuracy',
    value: hits / s.count,
    stdError: Math.sqrt(variance) / s.count,
    count: s.count,
  };
}

/** precision, recall and f1 of class c, in that order. */
function classFigures(s: EstimateState, c: number): EstimatedFigure[] {
  const label = s.classes[c]!;
  const tp = s.expected[c]![c]!;
  const predicted = s.predicted[c]!;
  const support = s.expected[c]!.reduce((a, v) => a + v, 0);
  const fp = predicted - tp;
  const fn = support - tp;
  const precision = predicted > 0 ? tp / predicted : 0;
  const recall = support > 0 ? tp / support : 0;
  const f1Denominator = tp + (fp + fn) / 2;
  const f1 = f1Denominator > 0 ? tp / f1Denominator : 0;
  return [
    {
      metric: `precision:${label}`,
      value: precision,
      stdError: ratioSe(Math.sqrt(s.hitVariance[c]!), predicted),
      count: predicted,
    },
    { metric: `recall:${label}`, value: recall, stdError: binomialSe(recall, support), count: support },
    { metric: `f1:${label}`, value: f1, stdError: binomialSe(f1, f1Denominator), count: f1Denominator },
  ];
}

/** NannyML's estimate: events by raw score descending, expected TPR against expected FPR, trapezoids. */
function rocAucFigure(s: EstimateState, c: number): EstimatedFigure | null {
  const counts = s.aucCount[c]!;
  const positives = s.aucPositives[c]!;
  let tp = 0;
  let fp = 0;
  let area = 0;
  for (let b = s.bins - 1; b >= 0; b--) {
    const n = counts[b]!;
    if (n === 0) continue;
    const dTp = positives[b]!;
    const dFp = n - dTp;
    area += dFp * (tp + dTp / 2);
    tp += dTp;
    fp += dFp;
  }
  if (tp <= 0 || fp <= 0) return null;
  const auc = area / (tp * fp);
  return {
    metric: `roc_auc:${s.classes[c]!}`,
    value: auc,
    stdError: hanleyMcNeilSe(auc, tp, fp),
    count: s.count,
  };
}

/** Hanley & McNeil (1982), Radiology 143:29-36, equation 2. */
export function hanleyMcNeilSe(auc: number, positives: number, negatives: number): number {
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  const v =
    (auc * (1 - auc) + (positives - 1) * (q1 - auc * auc) + (negatives - 1) * (q2 - auc * auc)) /
    (positives * negatives);
  return Math.sqrt(Math.max(v, 0));
}

function binomialSe(p: number, n: number): number {
  return n > 0 ? Math.sqrt((p * (1 - p)) / n) : 0;
}

function ratioSe(sd: number, n: number): number {
  return n > 0 ? sd / n : 0;
}
