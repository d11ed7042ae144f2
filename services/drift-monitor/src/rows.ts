import type { TestRow } from '../../core/src/stats/column-tests.ts';
import type { Detection } from './concept-drift.ts';
import type { WindowToClose } from './closer.ts';
import type { OpenWindow } from './processor.ts';
import type { ReferenceProfile } from './profile.ts';
import type { ColumnEvaluation, WindowEvaluation } from './window-evaluation.ts';
import { embeddingRows, multivariateRow } from './multivariate-rows.ts';
import { DATASET_FEATURE, ERROR_FEATURE } from '../../core/src/records/reserved-names.ts';
import type { DriftMetricRow, WindowIdentity } from './drift-metric-row.ts';

export type { DriftMetricRow, WindowIdentity } from './drift-metric-row.ts';

// The reserved row names live in core (the alerter and the report read them); re-exported for this service.
export {
  DATASET_FEATURE,
  EMBEDDING_PREFIX,
  ERROR_FEATURE,
  MULTIVARIATE_FEATURE,
} from '../../core/src/records/reserved-names.ts';

/** A drift_window_partials row (migration 0010). */
export interface PartialRow {
  model_id: string;
  model_version: string;
  window_start_ms: number;
  window_end_ms: number;
  source_partition: number;
  through_offset: number;
  profile_id: string;
  event_count: number;
  state: string;
  written_at: number;
}

export interface WatermarkRow {
  source_partition: number;
  stream_time_ms: number;
  through_offset: number;
  written_at: number;
}

/** A drift_model_watermarks row (migration 0014): a model's stream time on a partition. */
export interface ModelWatermarkRow {
  model_id: string;
  source_partition: number;
  stream_time_ms: number;
  through_offset: number;
  written_at_ms: number;
}

/** A drift_window_ids row (migration 0014): the prediction ids a batch added to a window. */
export interface WindowIdsRow {
  model_id: string;
  model_version: string;
  window_start_ms: number;
  source_partition: number;
  through_offset: number;
  ids: string[];
  written_at: number;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/** ClickHouse's Float64 takes no Infinity through JSON: the largest double stands for it. */
function finite(x: number): number {
  return Number.isFinite(x) ? x : x > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
}

/** The stream time of each model the batch had events of. Pure. */
export function modelWatermarkRows(
  times: ReadonlyMap<string, number>,
  partition: number,
  throughOffset: number,
  nowMs: number,
): ModelWatermarkRow[] {
  return [...times].map(([modelId, time]) => ({
    model_id: modelId,
    source_partition: partition,
    stream_time_ms: time,
    through_offset: throughOffset,
    written_at_ms: nowMs,
  }));
}

/** The ids each touched window got from the batch. Pure. */
export function windowIdsRows(
  touched: readonly OpenWindow[],
  partition: number,
  nowMs: number,
): WindowIdsRow[] {
  return touched
    .filter((w) => w.newIds.length > 0)
    .map((w) => ({
      model_id: w.modelId,
      model_version: w.modelVersion,
      window_start_ms: w.window.start,
      source_partition: partition,
      through_offset: w.through,
      ids: w.newIds,
      written_at: seconds(nowMs),
    }));
}

/** The full partial state of a window, as phase 1 writes it after a batch. Pure. */
export function partialRow(w: OpenWindow, partition: number, nowMs: number): PartialRow {
  return {
    model_id: w.modelId,
    model_version: w.modelVersion,
    window_start_ms: w.window.start,
    window_end_ms: w.window.end,
    source_partition: partition,
    through_offset: w.through,
    profile_id: w.partial.profile.profileId,
    event_count: w.partial.events,
    state: JSON.stringify(w.partial.toJSON()),
    written_at: seconds(nowMs),
  };
}

export function watermarkRow(
  partition: number,
  streamTimeMs: number,
  throughOffset: number,
  nowMs: number,
): WatermarkRow {
  return {
    source_partition: partition,
    stream_time_ms: streamTimeMs,
    through_offset: throughOffset,
    written_at: seconds(nowMs),
  };
}

function testRow(id: WindowIdentity, c: ColumnEvaluation, r: TestRow): DriftMetricRow | null {
  if (Number.isNaN(r.statistic)) return null;
  const decisive = c.decisive === r;
  const isMissing = r.method === 'missing_rate';
  return {
    ...id,
    feature: c.name,
    feature_type: c.kind,
    method: r.method,
    statistic: finite(r.statistic),
    p_value: r.pValue,
    p_value_adjusted: decisive ? c.adjustedP : null,
    threshold: r.threshold,
    drifted: r.drifted ? 1 : 0,
    decisive: decisive ? 1 : 0,
    reason: decisive ? (c.choice?.reason ?? '') : '',
    basis: r.basis,
    sample_count: isMissing ? c.total : c.windowN,
    reference_count: c.referenceN,
    detail: JSON.stringify(r.detail),
  };
}

/**
 * The drift_metrics rows of a closed window: one per column and test, then the dataset row. Deterministic
 * identity (model, version, window, feature, method), versioned by the inputs, so a recomputation replaces.
 */
export function windowRows(
  w: WindowToClose,
  profile: ReferenceProfile,
  evaluation: WindowEvaluation,
  events: { total: number; excluded: number; mismatched: number },
  nowMs: number,
): DriftMetricRow[] {
  const id: WindowIdentity = {
    model_id: w.modelId,
    model_version: w.modelVersion,
    window_start: seconds(w.windowStartMs),
    window_end: seconds(w.windowEndMs),
    profile_id: profile.profileId,
    input_version: w.inputVersion,
    computed_at: seconds(nowMs),
    correction: evaluation.dataset.correction,
  };
  const rows = evaluation.columns.flatMap((c) =>
    c.rows.map((r) => testRow(id, c, r)).filter((r) => r !== null),
  );
  const d = evaluation.dataset;
  rows.push({
    ...id,
    feature: DATASET_FEATURE,
    feature_type: 'dataset',
    method: 'share_drifted',
    statistic: d.share,
    p_value: null,
    p_value_adjusted: null,
    threshold: d.threshold,
    drifted: d.drifted ? 1 : 0,
    decisive: 1,
    reason: `${d.driftedFeatures.length} of ${d.tested} features drifted (correction ${d.correction})`,
    basis: 'exact',
    sample_count: events.total,
    reference_count: profile.eventCount,
    detail: JSON.stringify({
      drifted_features: d.driftedFeatures,
      tested: d.tested,
      excluded_events: events.excluded,
      mismatched_values: events.mismatched,
    }),
  });
  if (evaluation.multivariate) rows.push(multivariateRow(id, evaluation.multivariate, profile));
  for (const e of evaluation.embeddings) rows.push(...embeddingRows(id, e));
  return rows;
}

/**
 * A concept drift as a drift_metrics row: the "window" runs from the first error after the previous
 * detection to the error that fired; the statistic is the mean error over it (error rate, or mean absolute
 * error for a regressor). Identity (model, version, window start, `__error__`, detector).
 */
export function detectionRow(d: Detection, nowMs: number): DriftMetricRow {
  return {
    model_id: d.modelId,
    model_version: d.modelVersion,
    window_start: seconds(d.fromMs),
    window_end: seconds(d.atMs),
    feature: ERROR_FEATURE,
    feature_type: 'error',
    method: d.detector,
    statistic: finite(d.meanError),
    p_value: d.confirmation ? d.confirmation.pValue : null,
    p_value_adjusted: null,
    threshold: null,
    drifted: 1,
    decisive: 1,
    reason: d.confirmation
      ? `${d.detector} signalled a change of the error stream at joined offset ${d.offset}, confirmed by a rise of the last ${d.confirmation.recentCount} errors over the ${d.confirmation.baselineCount} before`
      : `${d.detector} signalled a change of the error stream at joined offset ${d.offset}`,
    basis: 'exact',
    correction: 'none',
    sample_count: d.count,
    reference_count: 0,
    profile_id: '',
    detail: JSON.stringify({
      detected_at_ms: d.atMs,
      offset: d.offset,
      ...(d.confirmation && {
        recent_mean: d.confirmation.recentMean,
        recent_count: d.confirmation.recentCount,
        baseline_mean: d.confirmation.baselineMean,
        baseline_count: d.confirmation.baselineCount,
      }),
    }),
    input_version: d.offset,
    computed_at: seconds(nowMs),
  };
}
