/**
 * performance_metrics rows of one flush → the alerter's performance windows, as services/alerter/src/inputs.ts
 * reads them from ClickHouse (finite values; the sample count is the largest of the window's rows).
 */
import type { PerformanceWindow } from '../../services/alerter/src/window.ts';
import type { MetricRow } from '../../services/performance-monitor/src/rows.ts';

export function performanceWindowsOf(rows: readonly MetricRow[]): PerformanceWindow[] {
  const windows = new Map<string, PerformanceWindow>();
  for (const r of rows) {
    if (!Number.isFinite(r.value)) continue;
    const key = `${r.model_id}\u0000${r.model_version}\u0000${r.window_start_ms}`;
    let w = windows.get(key);
    if (!w) {
      w = {
        source: 'performance',
        modelId: r.model_id,
        modelVersion: r.model_version,
        startMs: r.window_start_ms,
        endMs: r.window_end_ms,
        sampleCount: 0,
        metrics: {},
      };
      windows.set(key, w);
    }
    w.metrics[r.metric] = { value: r.value, baseline: r.baseline };
    w.sampleCount = Math.max(w.sampleCount, r.sample_count);
  }
  return [...windows.values()];
}
