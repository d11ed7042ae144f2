import type { AnyRow, Columns, ReadRow, WrittenRow } from './columns.ts';

/**
 * performance_metrics (migrations 0005, 0013): one row per figure of a model version, segment and window, the
 * FULL figure every time; ReplacingMergeTree(revision) keeps the newest. Written by the performance monitor;
 * read by the alerter, the report and the MCP tools.
 */
export const PERFORMANCE_METRICS = 'performance_metrics';

export const PERFORMANCE_METRICS_COLUMNS = {
  model_id: 'String',
  model_version: 'String',
  /** '' for all traffic, 'tag=value' for a configured segment tag. */
  segment: 'String',
  /** `5m`, `1h`, ... or `last_1000` for the rolling window. */
  window_size: 'String',
  /** Tumbling: the window start in ms. Rolling: the number of labeled predictions seen. */
  window_id: 'UInt64',
  window_start: 'DateTime',
  window_end: 'DateTime',
  window_start_ms: 'UInt64',
  window_end_ms: 'UInt64',
  metric: 'String',
  value: 'Float64',
  sample_count: 'UInt64',
  baseline: 'Nullable(Float64)',
  delta: 'Nullable(Float64)',
  is_final: 'UInt8',
  revision: 'UInt64',
  /** The figure's own denominator in the window (0: not a testable figure) and its sd (mean errors). */
  figure_count: 'UInt64',
  figure_sd: 'Nullable(Float64)',
  /** The same in the baseline (0 and null without one), and what the baseline is made of. */
  baseline_count: 'UInt64',
  baseline_sd: 'Nullable(Float64)',
  baseline_source: 'String',
} as const satisfies Columns;

type C = typeof PERFORMANCE_METRICS_COLUMNS;
/** A performance_metrics row as written (DateTime columns in epoch seconds). */
export type PerformanceMetricRow = WrittenRow<C>;
/** A performance_metrics row as read back (UInt64 and DateTime as strings). */
export type PerformanceMetricReadRow = ReadRow<C>;
/** Either: for pure functions fed rows read back or rows about to be written. */
export type PerformanceMetricAnyRow = AnyRow<C>;
