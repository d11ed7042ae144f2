import { query, type InputDeps } from './input-deps.ts';
import { performanceWindowsFromRows, type PerfRow } from './perf-window-rows.ts';
import { boundCondition, type ReadBound } from './read-bound.ts';
import type { PerformanceWindow } from './window.ts';
import {
  PERFORMANCE_ESTIMATES,
  type PerformanceEstimateAnyRow,
} from '../../core/src/tables/performance-estimates.ts';
import { PERFORMANCE_METRICS } from '../../core/src/tables/performance-metrics.ts';

/**
 * A performance_estimates row as read here (UInt64 as strings), with the estimator's own baseline (accuracy: its
 * calibration data's; null when it has none), optional for callers that have none.
 */
type EstimateRow = Pick<
  PerformanceEstimateAnyRow,
  | 'model_id'
  | 'model_version'
  | 'window_start_ms'
  | 'window_end_ms'
  | 'metric'
  | 'estimate'
  | 'std_error'
  | 'figure_count'
  | 'sample_count'
> &
  Partial<Pick<PerformanceEstimateAnyRow, 'baseline' | 'baseline_count' | 'baseline_source'>>;

/** The version's realized baseline from performance_metrics. */
interface BaselineRow {
  model_id: string;
  model_version: string;
  metric: string;
  /** Aliases differ from the columns: ClickHouse 18.16 would read an alias named as a column in WHERE. */
  b_value: number;
  b_count: string;
  b_sd: number | null;
  b_source: string;
}

/**
 * Windows estimated before their labels (performance_estimates, the estimator's revision 0: rows whose realized
 * figure is final are left to the realized window), as open performance windows marked `estimated`. Their
 * baseline is the version's realized baseline (performance_metrics) when the performance monitor has one, else
 * the estimator's own (the accuracy of the labeled predictions its calibration learned from), so the same
 * sample-size-aware rules judge them; figure counts are the predictions behind each estimate (ROC AUC: its sd is the standard error × √count,
 * as for realized figures).
 */
export async function readEstimateWindows(d: InputDeps, bound: ReadBound): Promise<PerformanceWindow[]> {
  const size = `'${d.performanceWindow}'`;
  const estimates = await query<EstimateRow>(
    d.clickhouse,
    `SELECT model_id, model_version, window_start_ms, window_end_ms, metric, estimate, std_error, figure_count,
            sample_count, baseline, baseline_count, baseline_source
     FROM ${d.database}.${PERFORMANCE_ESTIMATES} FINAL
     WHERE window_size = ${size} AND revision = 0 AND isFinite(estimate)
       AND ${boundCondition(bound, 'window_end_ms')}`,
  );
  if (estimates.length === 0) return [];
  const baselines = await query<BaselineRow>(
    d.clickhouse,
    `SELECT model_id, model_version, metric,
            argMax(assumeNotNull(baseline), window_end_ms) AS b_value,
            argMax(baseline_count, window_end_ms) AS b_count,
            argMax(baseline_sd, window_end_ms) AS b_sd,
            argMax(baseline_source, window_end_ms) AS b_source
     FROM ${d.database}.${PERFORMANCE_METRICS} FINAL
     WHERE segment = '' AND window_size = ${size} AND isNotNull(baseline)
     GROUP BY model_id, model_version, metric`,
  );
  return estimateWindowsFromRows(estimates, baselines);
}

function ownBaseline(e: EstimateRow): BaselineRow | undefined {
  if (e.baseline === null || e.baseline === undefined) return undefined;
  return {
    model_id: e.model_id,
    model_version: e.model_version,
    metric: e.metric,
    b_value: Number(e.baseline),
    b_count: String(e.baseline_count ?? 0),
    b_sd: null,
    b_source: e.baseline_source ?? '',
  };
}

/** Pure: estimate rows and baselines to open, estimated performance windows. */
export function estimateWindowsFromRows(
  estimates: readonly EstimateRow[],
  baselines: readonly BaselineRow[],
): PerformanceWindow[] {
  const key = (r: { model_id: string; model_version: string; metric: string }) =>
    `${r.model_id}\u0000${r.model_version}\u0000${r.metric}`;
  const byKey = new Map(baselines.map((b) => [key(b), b]));
  const rows: PerfRow[] = estimates.map((e) => {
    const b = byKey.get(key(e)) ?? ownBaseline(e);
    const count = Math.round(Number(e.figure_count));
    return {
      model_id: e.model_id,
      model_version: e.model_version,
      window_start_ms: e.window_start_ms,
      window_end_ms: e.window_end_ms,
      metric: e.metric,
      value: e.estimate,
      baseline: b ? b.b_value : null,
      sample_count: e.sample_count,
      is_final: 0,
      figure_count: count,
      figure_sd: e.metric.startsWith('roc_auc') ? e.std_error * Math.sqrt(count) : null,
      baseline_count: b?.b_count ?? 0,
      baseline_sd: b?.b_sd ?? null,
      baseline_source: b?.b_source ?? '',
    };
  });
  return performanceWindowsFromRows(rows).map((w) => ({ ...w, estimated: true }));
}
