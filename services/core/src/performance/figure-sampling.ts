/**
 * How each testable figure of a window state was sampled: its own denominator and, for mean errors, the
 * spread of the per-sample quantity. This is what a verdict needs beyond the figure to weigh a change against
 * sampling noise (drop-tests.ts): accuracy is correct/count, recall:<c> is over the samples whose true label
 * is c, precision:<c> over those predicted c, mae a mean of |error| with its sample standard deviation.
 */
import { confusionMatrix } from './classification-metrics.ts';
import type { ClassificationState } from './classification-state.ts';
import { perClassMetricName } from './metric-names.ts';
import { RegressionState } from './regression-state.ts';

/** The sampling of one figure: `count` samples, and `sd` (ddof 1) for a mean of a per-sample quantity. */
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
  return out;
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
