import { query, type InputDeps } from './input-deps.ts';
import { readDriftWindows } from './drift-inputs.ts';
import type { PerformanceWindow, ResultWindow } from './window.ts';
import { boundCondition, type ReadBound } from './read-bound.ts';

interface PerfRow {
  model_id: string;
  model_version: string;
  window_start_ms: string | number;
  window_end_ms: string | number;
  metric: string;
  value: number;
  baseline: number | null;
  sample_count: string | number;
}

/** Final performance windows of all traffic (segment '') within `bound`. */
async function readPerformanceWindows(d: InputDeps, bound: ReadBound): Promise<PerformanceWindow[]> {
  const rows = await query<PerfRow>(
    d.clickhouse,
    `SELECT model_id, model_version, window_start_ms, window_end_ms, metric, value, baseline, sample_count
     FROM ${d.database}.performance_metrics FINAL
     WHERE segment = '' AND window_size = '${d.performanceWindow}' AND is_final = 1 AND isFinite(value)
       AND ${boundCondition(bound, 'window_end_ms')}`,
  );
  const windows = new Map<string, PerformanceWindow>();
  for (const r of rows) {
    const key = `${r.model_id}\u0000${r.model_version}\u0000${r.window_start_ms}`;
    let w = windows.get(key);
    if (!w) {
      w = {
        source: 'performance',
        modelId: r.model_id,
        modelVersion: r.model_version,
        startMs: Number(r.window_start_ms),
        endMs: Number(r.window_end_ms),
        sampleCount: 0,
        metrics: {},
      };
      windows.set(key, w);
    }
    w.metrics[r.metric] = {
      value: Number(r.value),
      baseline: r.baseline === null ? null : Number(r.baseline),
    };
    w.sampleCount = Math.max(w.sampleCount, Number(r.sample_count));
  }
  return [...windows.values()];
}

/** Every closed window within its source's bound, performance and drift. */
export async function readWindows(
  d: InputDeps,
  since: { performance: ReadBound; drift: ReadBound },
): Promise<ResultWindow[]> {
  const performance = await readPerformanceWindows(d, since.performance);
  const drift = await readDriftWindows(d, since.drift);
  return [...drift, ...performance];
}
