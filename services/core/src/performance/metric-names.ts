/**
 * Names of the metrics this library emits, shared by the performance monitor, its ClickHouse
 * table and the alert rules. Per-class metrics are `<kind>:<label>`.
 */

/** One named metric value of a window. */
export interface MetricValue {
  readonly metric: string;
  readonly value: number;
}

/** Window-level classification metric names. */
export const CLASSIFICATION_METRICS = {
  count: 'count',
  scoredCount: 'scored_count',
  accuracy: 'accuracy',
  precisionMacro: 'precision_macro',
  recallMacro: 'recall_macro',
  f1Macro: 'f1_macro',
  precisionWeighted: 'precision_weighted',
  recallWeighted: 'recall_weighted',
  f1Weighted: 'f1_weighted',
  logLoss: 'log_loss',
  brier: 'brier',
  ece: 'ece',
  rocAuc: 'roc_auc',
  rocAucMaxError: 'roc_auc_max_error',
  rocAucWeighted: 'roc_auc_weighted',
  rocAucWeightedMaxError: 'roc_auc_weighted_max_error',
} as const;

/** Kinds of per-class classification metrics. */
export type PerClassMetricKind = 'precision' | 'recall' | 'f1' | 'support';

/** `precision:<label>` and friends. */
export function perClassMetricName(kind: PerClassMetricKind, label: string): string {
  return `${kind}:${label}`;
}

/** Regression metric names. */
export const REGRESSION_METRICS = {
  count: 'count',
  mae: 'mae',
  rmse: 'rmse',
  mape: 'mape',
  mapeZeroTargets: 'mape_zero_targets',
  r2: 'r2',
  meanError: 'mean_error',
} as const;
