import { readAgreementWindows } from './agreement-inputs.ts';
import { query, type InputDeps } from './input-deps.ts';
import { readDriftWindows } from './drift-inputs.ts';
import { readEstimateWindows } from './estimate-inputs.ts';
import { performanceWindowsFromRows, type PerfRow } from './perf-window-rows.ts';
import type { PerformanceWindow, ResultWindow } from './window.ts';
import { boundCondition, type ReadBound } from './read-bound.ts';

/**
 * Performance windows of all traffic (segment '') within `bound`: final ones, and open ones (is_final = 0, the
 * performance monitor rewrites them as labels arrive) for provisional verdicts.
 */
async function readPerformanceWindows(d: InputDeps, bound: ReadBound): Promise<PerformanceWindow[]> {
  const rows = await query<PerfRow>(
    d.clickhouse,
    `SELECT model_id, model_version, window_start_ms, window_end_ms, metric, value, baseline, sample_count,
            is_final, figure_count, figure_sd, baseline_count, baseline_sd, baseline_source
     FROM ${d.database}.performance_metrics FINAL
     WHERE segment = '' AND window_size = '${d.performanceWindow}' AND isFinite(value)
       AND ${boundCondition(bound, 'window_end_ms')}`,
  );
  return performanceWindowsFromRows(rows);
}

/**
 * Every window within its source's bound: performance (final and open, and estimated before the labels), drift
 * (closed) and shadow agreement (closed).
 */
export async function readWindows(
  d: InputDeps,
  since: { performance: ReadBound; drift: ReadBound; agreement: ReadBound },
): Promise<ResultWindow[]> {
  // The sources are independent reads: asked together, a round waits for the slowest instead of their sum, and
  // an alert follows its window sooner.
  const [performance, estimated, drift, agreement] = await Promise.all([
    readPerformanceWindows(d, since.performance),
    readEstimateWindows(d, since.performance),
    readDriftWindows(d, since.drift),
    readAgreementWindows(d, since.agreement),
  ]);
  return [...drift, ...performance, ...estimated, ...agreement];
}
