import type { AnyRow, Columns, ReadRow, WrittenRow } from './columns.ts';

/**
 * performance_estimates (migrations 0015, 0017): estimated figures per model version and event-time window
 * before any label; revision 0 is the estimate, revision 1 adds the realized figure once it is final. Written by
 * the estimator; read by the alerter, the report and the demo.
 */
export const PERFORMANCE_ESTIMATES = 'performance_estimates';

export const PERFORMANCE_ESTIMATES_COLUMNS = {
  model_id: 'String',
  model_version: 'String',
  window_size: 'String',
  window_start: 'DateTime',
  window_end: 'DateTime',
  window_start_ms: 'UInt64',
  window_end_ms: 'UInt64',
  metric: 'String',
  estimate: 'Float64',
  std_error: 'Float64',
  band_low: 'Float64',
  band_high: 'Float64',
  /** The figure's denominator (predictions; expected support for recall:<c>; ...). */
  figure_count: 'Float64',
  sample_count: 'UInt64',
  calibration_count: 'UInt64',
  realized: 'Nullable(Float64)',
  realized_count: 'UInt64',
  estimation_error: 'Nullable(Float64)',
  outside_band: 'UInt8',
  concept_drift: 'UInt8',
  revision: 'UInt8',
  written_at_ms: 'UInt64',
  /** The estimator's own baseline (accuracy only): the reference accuracy of its calibration data. */
  baseline: 'Nullable(Float64)',
  baseline_count: 'UInt64',
  baseline_source: 'String',
} as const satisfies Columns;

type C = typeof PERFORMANCE_ESTIMATES_COLUMNS;
/** A performance_estimates row as written (DateTime columns in epoch seconds). */
export type PerformanceEstimateRow = WrittenRow<C>;
/** A performance_estimates row as read back (UInt64 and DateTime as strings). */
export type PerformanceEstimateReadRow = ReadRow<C>;
/** Either: for pure functions fed rows read back or rows about to be written. */
export type PerformanceEstimateAnyRow = AnyRow<C>;
