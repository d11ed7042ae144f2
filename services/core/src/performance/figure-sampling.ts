/**
 * How each testable figure of a window state was sampled: its own denominator and, for mean errors, the
 * spread of the per-sample quantity. This is what a verdict needs beyond the figure to weigh a change against
 * sampling noise (drop-tests.ts): accuracy is correct/count, recall:<c> is over the samples whose true label
 * is c, precision:<c> over those predicted c, mae a mean of |error| with its sample standard deviation.
 */
import { binnedRocAuc } from './binned-roc-auc.ts';
import { confusionMatrix } from './classification-metrics.ts';
import { hanleyMcNeilSe } from './drop-tests.ts';
import type { ClassificationState } from './classification-state.ts';
import { perClassMetricName } from './metric-names.ts';
import { RegressionState } from './regression-state.ts';
import { stateRocAuc } from './state-roc-auc.ts';

/**
 * The sampling of one figure: `count` samples, and `sd` (ddof 1) for a mean of a per-sample quantity. For a
 * binary ROC AUC, `count` is its scored samples and `sd` its Hanley–McNeil standard error times √count, so that
 * sd/√count is the figure's standard error as for a mean.
 */
export interface FigureSampling {
  readonly count: number;
  readonly sd?: number;
}

function regressionSampling(state: RegressionState): Map<string, FigureSampling> {
  const abs = state.absoluteErrorMoments;
  const sd = Math.sqrt(abs.sampleVariance);
  return new Map([['mae', Number.isFinite(sd) ? { count: state.count, sd } : { count: state.count }]]);
}

function classificationSampling(state: ClassificationState): Map<string, FigureSampling> {
  const out = new Map<string, FigureSampling>([['accuracy', { count: state.count }]]);
  const { labels, matrix } = confusionMatrix(state);
  labels.forEach((label, t) => {
    const truths = (matrix[t] ?? []).reduce((a, b) => a + b, 0);
    const predictions = matrix.reduce((a, row) => a + (row[t] ?? 0), 0);
    if (truths > 0) out.set(perClassMetricName('recall', label), { count: truths });
    if (predictions > 0) out.set(perClassMetricName('precision', label), { count: predictions });
  });
  const auc = binaryAucSampling(state);
  if (auc) out.set('roc_auc', auc);
  return out;
}

/** A binary classifier's ROC AUC, as the metrics compute it (default positive label, binned scores). */
function binaryAucSampling(state: ClassificationState): FigureSampling | undefined {
  const figure = stateRocAuc(state);
  if (figure?.kind !== 'binary') return undefined;
  const histograms = state.scoreHistograms(state.indexOfLabel(figure.positiveLabel) ?? 0);
  const r = histograms && binnedRocAuc(histograms.positive, histograms.negative);
  if (!r) return undefined;
  const count = r.positives + r.negatives;
  return { count, sd: hanleyMcNeilSe(r.auc, r.positives, r.negatives) * Math.sqrt(count) };
}

/**
 * The sampling of every figure a verdict can test, by metric name.
 * @example figureSampling(new ClassificationState().update('a', 'a').update('b', 'a')).get('precision:a') // {count: 2}
 */
export function figureSampling(
  state: ClassificationState | RegressionState,
): ReadonlyMap<string, FigureSampling> {
  return state instanceof RegressionState ? regressionSampling(state) : classificationSampling(state);
}
