import type { PerformanceMetricAnyRow } from '../../core/src/tables/performance-metrics.ts';
import type { PerformanceWindow } from './window.ts';

/**
 * A performance_metrics row as the alerter reads it (UInt64 as strings) or as the performance monitor writes it;
 * the verdict columns are optional for callers that have none (estimated windows fill them in).
 */
export type PerfRow = Pick<
  PerformanceMetricAnyRow,
  | 'model_id'
  | 'model_version'
  | 'window_start_ms'
  | 'window_end_ms'
  | 'metric'
  | 'value'
  | 'baseline'
  | 'sample_count'
> &
  Partial<
    Pick<
      PerformanceMetricAnyRow,
      'is_final' | 'figure_count' | 'figure_sd' | 'baseline_count' | 'baseline_sd' | 'baseline_source'
    >
  >;

const nullable = (x: number | null | undefined) => (x === null || x === undefined ? null : Number(x));

function emptyWindow(r: PerfRow): PerformanceWindow {
  return {
    source: 'performance',
    modelId: r.model_id,
    modelVersion: r.model_version,
    startMs: Number(r.window_start_ms),
    endMs: Number(r.window_end_ms),
    sampleCount: 0,
    metrics: {},
    final: true,
    baselineSource: '',
  };
}

/**
 * Groups the rows of one segment and window size into windows. A window is final only when every row of it
 * is (the performance monitor writes a window's rows together, so they agree). Pure; the performance
 * monitor's own rows (its MetricRow) fit, so a benchmark can feed them in directly.
 */
export function performanceWindowsFromRows(rows: readonly PerfRow[]): PerformanceWindow[] {
  const windows = new Map<string, PerformanceWindow>();
  for (const r of rows) {
    const key = `${r.model_id}\u0000${r.model_version}\u0000${r.window_start_ms}`;
    let w = windows.get(key);
    if (!w) windows.set(key, (w = emptyWindow(r)));
    w.metrics[r.metric] = {
      value: Number(r.value),
      baseline: nullable(r.baseline),
      count: Number(r.figure_count ?? 0),
      sd: nullable(r.figure_sd),
      baselineCount: Number(r.baseline_count ?? 0),
      baselineSd: nullable(r.baseline_sd),
    };
    w.sampleCount = Math.max(w.sampleCount, Number(r.sample_count));
    if (r.is_final !== undefined && Number(r.is_final) !== 1) w.final = false;
    if (r.baseline_source) w.baselineSource = r.baseline_source;
  }
  return [...windows.values()];
}
