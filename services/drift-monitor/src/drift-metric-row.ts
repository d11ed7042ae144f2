import type { DriftMetricRow } from '../../core/src/tables/drift-metrics.ts';

/** A drift_metrics row as written (core/tables/drift-metrics.ts). Times in seconds. */
export type { DriftMetricRow };

/** The columns every row of one window evaluation shares. */
export type WindowIdentity = Pick<
  DriftMetricRow,
  | 'model_id'
  | 'model_version'
  | 'window_start'
  | 'window_end'
  | 'profile_id'
  | 'input_version'
  | 'computed_at'
  | 'correction'
>;
