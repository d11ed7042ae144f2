import type { InferenceEvent } from '../../core/src/records/records.generated.ts';

/** A row of request_predictions: the label one model version gave to one serving request. */
export interface RequestPredictionRow {
  request_id: string;
  model_id: string;
  model_version: string;
  prediction_id: string;
  event_time: number;
  event_time_ms: number;
  predicted_label: string;
  ingested_at: number;
}

/**
 * The row for shadow agreement (the shadow_agreement view compares versions on the same request), or null for
 * an event without a request id or without a label (agreement compares classifier labels). Pure.
 */
export function requestPredictionRow(e: InferenceEvent, nowMs: number): RequestPredictionRow | null {
  const label = e.prediction.label;
  if (!e.request_id || label == null) return null;
  return {
    request_id: e.request_id,
    model_id: e.model_id,
    model_version: e.model_version,
    prediction_id: e.prediction_id,
    event_time: Math.floor(e.timestamp / 1000),
    event_time_ms: e.timestamp,
    predicted_label: label,
    ingested_at: Math.floor(nowMs / 1000),
  };
}
