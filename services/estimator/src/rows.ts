import type { EstimatedFigure } from '../../core/src/performance/estimate-metrics.ts';
import type { PerformanceEstimateRow } from '../../core/src/tables/performance-estimates.ts';

/** A row of performance_estimates as written (core/tables/performance-estimates.ts). */
export type EstimateRow = PerformanceEstimateRow;

/** The window an estimate belongs to. */
export interface EstimatedWindow {
  modelId: string;
  modelVersion: string;
  windowSize: string;
  startMs: number;
  endMs: number;
  sampleCount: number;
  calibrationCount: number;
  /** Realized accuracy of the labeled predictions the calibration was learned from; null while unknown. */
  referenceAccuracy: number | null;
}

/** Revision 0: the estimate of a closed window, before its realized figure is known. Pure. */
export function estimateRows(
  w: EstimatedWindow,
  figures: EstimatedFigure[],
  z: number,
  now: number,
): EstimateRow[] {
  return figures.map((f) => ({
    model_id: w.modelId,
    model_version: w.modelVersion,
    window_size: w.windowSize,
    window_start: Math.floor(w.startMs / 1000),
    window_end: Math.floor(w.endMs / 1000),
    window_start_ms: w.startMs,
    window_end_ms: w.endMs,
    metric: f.metric,
    estimate: f.value,
    std_error: f.stdError,
    band_low: Math.max(0, f.value - z * f.stdError),
    band_high: Math.min(1, f.value + z * f.stdError),
    figure_count: f.count,
    sample_count: w.sampleCount,
    calibration_count: w.calibrationCount,
    ...baselineOf(w, f.metric),
    realized: null,
    realized_count: 0,
    estimation_error: null,
    outside_band: 0,
    concept_drift: 0,
    revision: 0,
    written_at_ms: now,
  }));
}

function baselineOf(w: EstimatedWindow, metric: string) {
  if (metric !== 'accuracy' || w.referenceAccuracy === null)
    return { baseline: null, baseline_count: 0, baseline_source: '' };
  return {
    baseline: w.referenceAccuracy,
    baseline_count: w.calibrationCount,
    baseline_source: `the ${w.calibrationCount} labeled predictions the calibration was learned from`,
  };
}

/** Revision 1: the same row once the window's realized figure is final. Pure. */
export function realizedRow(
  row: EstimateRow,
  realized: { value: number; count: number },
  conceptDrift: boolean,
  now: number,
): EstimateRow {
  const outside = realized.value < row.band_low || realized.value > row.band_high;
  return {
    ...row,
    // Read back, DateTime columns are strings in the server's zone: written again from the milliseconds.
    window_start: Math.floor(row.window_start_ms / 1000),
    window_end: Math.floor(row.window_end_ms / 1000),
    realized: realized.value,
    realized_count: realized.count,
    estimation_error: realized.value - row.estimate,
    outside_band: outside ? 1 : 0,
    concept_drift: conceptDrift ? 1 : 0,
    revision: 1,
    written_at_ms: now,
  };
}
