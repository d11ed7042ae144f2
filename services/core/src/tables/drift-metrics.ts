import type { AnyRow, Columns, ReadRow, WrittenRow } from './columns.ts';

/**
 * drift_metrics (migration 0009): one row per model, version, window, feature and method, the public drift
 * results; ReplacingMergeTree(input_version) keeps the latest computation. Written by the drift monitor; read by
 * the alerter, the report and the MCP tools. Rows that are not input features carry the reserved names of
 * core/records/reserved-names.ts (`__dataset__`, `__error__`, `__prediction__`, `__score__:<class>`, ...).
 */
export const DRIFT_METRICS = 'drift_metrics';

export const DRIFT_METRICS_COLUMNS = {
  model_id: 'String',
  model_version: 'String',
  window_start: 'DateTime',
  window_end: 'DateTime',
  /** An input feature or a reserved name. */
  feature: 'String',
  feature_type: 'String',
  method: 'String',
  statistic: 'Float64',
  p_value: 'Nullable(Float64)',
  /** The p-value after the multiple-testing correction. */
  p_value_adjusted: 'Nullable(Float64)',
  threshold: 'Nullable(Float64)',
  drifted: 'UInt8',
  /** 1 on the test that decides the feature's drift; `reason` says why it was chosen. */
  decisive: 'UInt8',
  reason: 'String',
  basis: 'String',
  correction: 'String',
  sample_count: 'UInt64',
  reference_count: 'UInt64',
  profile_id: 'String',
  /** JSON with the test's own figures (reference_rate, contributors, holdout_mean, ...). */
  detail: 'String',
  input_version: 'UInt64',
  computed_at: 'DateTime',
} as const satisfies Columns;

type C = typeof DRIFT_METRICS_COLUMNS;
/** A drift_metrics row as written (DateTime columns in epoch seconds). */
export type DriftMetricRow = WrittenRow<C>;
/** A drift_metrics row as read back (UInt64 and DateTime as strings). */
export type DriftMetricReadRow = ReadRow<C>;
/** Either: for pure functions fed rows read back or rows about to be written. */
export type DriftMetricAnyRow = AnyRow<C>;
