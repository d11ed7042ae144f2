import type { PerformanceWindow } from './window.ts';

/** A performance_metrics row as the alerter reads it (ClickHouse may return UInt64 as strings). */
export interface PerfRow {
  model_id: string;
  model_version: string;
  window_start_ms: string | number;
  window_end_ms: string | number;
  metric: string;
  value: number;
  baseline: number | null;
  sample_count: string | number;
  is_final?: string | number;
  figure_count?: string | number;
  figure_sd?: number | null;
  baseline_count?: string | number;
  baseline_sd?: number | null;
  baseline_source?: string;
}

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
