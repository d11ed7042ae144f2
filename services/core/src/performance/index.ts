/**
 * Model-performance library of the performance monitor: pure, mergeable window states for
 * classifiers and regressors, their metrics, version comparison tests and a rolling count window.
 */
export { ClassificationState } from './classification-state.ts';
export type { ClassScores } from './classification-state.ts';
export { CLASSIFICATION_DEFAULTS, resolveClassificationOptions } from './classification-options.ts';
export type { ClassificationStateOptions, ResolvedClassificationOptions } from './classification-options.ts';
export { parseClassificationState } from './classification-state-json.ts';
export type { ClassificationStateJson, ParsedClassificationState } from './classification-state-json.ts';
export { classificationMetrics, confusionMatrix, metricValue } from './classification-metrics.ts';
export type { ClassificationMetricsOptions, ConfusionMatrix } from './classification-metrics.ts';
export { perClassScores, averageScores } from './per-class-scores.ts';
export type { ClassScore, AveragedScores } from './per-class-scores.ts';
export { stateRocAuc } from './state-roc-auc.ts';
export type { RocAucEstimate, StateRocAuc } from './state-roc-auc.ts';
export { binnedRocAuc } from './binned-roc-auc.ts';
export type { BinnedRocAuc } from './binned-roc-auc.ts';
export { exactRocAuc, exactOvrRocAuc } from './exact-roc-auc.ts';
export type { RocAucAverage } from './exact-roc-auc.ts';
export { CalibrationBins } from './calibration-bins.ts';
export type { CalibrationBinsJson } from './calibration-bins.ts';
export { ScoreHistograms } from './score-histograms.ts';
export type { ScoreHistogramsJson, SparseBins } from './score-histograms.ts';
export { RegressionState } from './regression-state.ts';
export type { RegressionStateJson } from './regression-state.ts';
export { regressionMetrics } from './regression-metrics.ts';
export { RunningMoments } from './running-moments.ts';
export type { RunningMomentsJson } from './running-moments.ts';
export { compareAccuracy, compareAbsoluteError } from './version-comparison.ts';
export type { ComparisonOptions, ComparisonTest, Verdict, VersionComparison } from './version-comparison.ts';
export { twoProportionZTest, chiSquare2x2 } from './two-proportion-test.ts';
export type { Proportion, TestStatistic } from './two-proportion-test.ts';
export { welchTTest } from './welch-t-test.ts';
export type { SampleSummary, WelchResult } from './welch-t-test.ts';
export { normalTwoSidedPValue, chiSquareSurvival, studentTTwoSidedPValue } from './p-values.ts';
export {
  logGamma,
  logBeta,
  regularizedIncompleteBeta,
  regularizedUpperGamma,
} from '../math/special-functions.ts';
export { RollingCountWindow } from './rolling-count-window.ts';
export type { RollingCountWindowJson } from './rolling-count-window.ts';
export { CLASSIFICATION_METRICS, REGRESSION_METRICS, perClassMetricName } from './metric-names.ts';
export type { MetricValue, PerClassMetricKind } from './metric-names.ts';
export * from './errors.ts';
export {
  hanleyMcNeilSe,
  meanBounds,
  newcombeInterval,
  standardErrorDropTest,
  proportionBounds,
  proportionDropTest,
  welchRiseTest,
  wilsonInterval,
} from './drop-tests.ts';
export type { DropTest } from './drop-tests.ts';
export { normalQuantile, studentTUpperQuantile } from './quantiles.ts';
export { figureSampling } from './figure-sampling.ts';
export type { FigureSampling } from './figure-sampling.ts';
