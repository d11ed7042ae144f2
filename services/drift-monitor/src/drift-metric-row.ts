/** A drift_metrics row (migration 0009). Times in seconds. */
export interface DriftMetricRow {
  model_id: string;
  model_version: string;
  window_start: number;
  window_end: number;
  feature: string;
  feature_type: string;
  method: string;
  statistic: number;
  p_value: number | null;
  p_value_adjusted: number | null;
  threshold: number | null;
  drifted: 0 | 1;
  decisive: 0 | 1;
  reason: string;
  basis: string;
  correction: string;
  sample_count: number;
  reference_count: number;
  profile_id: string;
  detail: string;
  input_version: number;
  computed_at: number;
}

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
