import type { JoinExpiration } from '../../core/src/kafka/join-expiration.ts';
import type {
  GroundTruthEvent,
  InferenceEvent,
  JoinedPrediction,
} from '../../core/src/records/records.generated.ts';
import type { GroundTruthRow } from '../../core/src/tables/ground-truth.ts';
import type { InferenceLogRow } from '../../core/src/tables/inference-log.ts';
import type { JoinExpirationRow } from '../../core/src/tables/join-expirations.ts';
import type { LabeledPredictionRow } from '../../core/src/tables/labeled-predictions.ts';

/** Where a row came from in Kafka: its deterministic identity for redelivery. */
export interface SourcePosition {
  partition: number;
  offset: string;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Flattens an inference event into its `inference_log` row; vectors only when `keepEmbeddings`. Pure. The sink's
 * hottest function (once per event): one pass over the features and tags, no intermediate pairs.
 */
export function inferenceRow(
  e: InferenceEvent,
  at: SourcePosition,
  nowMs: number,
  keepEmbeddings = false,
): InferenceLogRow {
  const numNames: string[] = [];
  const numValues: number[] = [];
  const catNames: string[] = [];
  const catValues: string[] = [];
  const features = e.features;
  for (const name in features) {
    const value = features[name];
    if (typeof value === 'number') {
      numNames.push(name);
      numValues.push(value);
    } else if (typeof value === 'string') {
      catNames.push(name);
      catValues.push(value);
    } else if (typeof value === 'boolean') {
      catNames.push(name);
      catValues.push(String(value));
    }
  }
  const tagKeys: string[] = [];
  const tagValues: string[] = [];
  const tags = e.tags;
  if (tags)
    for (const key in tags) {
      tagKeys.push(key);
      tagValues.push(tags[key]!);
    }
  return {
    prediction_id: e.prediction_id,
    model_id: e.model_id,
    model_version: e.model_version,
    event_time: seconds(e.timestamp),
    event_time_ms: e.timestamp,
    predicted_label: e.prediction.label ?? null,
    predicted_value: e.prediction.value ?? null,
    scores: e.prediction.scores ? JSON.stringify(e.prediction.scores) : '',
    features: JSON.stringify(features),
    num_feature_names: numNames,
    num_feature_values: numValues,
    cat_feature_names: catNames,
    cat_feature_values: catValues,
    latency_ms: e.latency_ms ?? null,
    tag_keys: tagKeys,
    tag_values: tagValues,
    embeddings: keepEmbeddings && e.embeddings ? JSON.stringify(e.embeddings) : '',
    source_partition: at.partition,
    source_offset: at.offset,
    ingested_at: seconds(nowMs),
  };
}

/** The `ground_truth` row of a label event. Numeric labels keep their text form too. Pure. */
export function groundTruthRow(e: GroundTruthEvent, at: SourcePosition, nowMs: number): GroundTruthRow {
  return {
    prediction_id: e.prediction_id,
    model_id: e.model_id ?? '',
    label: String(e.label),
    label_value: typeof e.label === 'number' ? e.label : null,
    event_time: seconds(e.timestamp),
    event_time_ms: e.timestamp,
    source_partition: at.partition,
    source_offset: at.offset,
    ingested_at: seconds(nowMs),
  };
}

/** The `labeled_predictions` row of a joined pair. Numeric labels keep their text form too. Pure. */
export function labeledPredictionRow(
  e: JoinedPrediction,
  at: SourcePosition,
  nowMs: number,
): LabeledPredictionRow {
  const tags = Object.entries(e.tags ?? {});
  return {
    prediction_id: e.prediction_id,
    model_id: e.model_id,
    model_version: e.model_version,
    predicted_label: e.predicted_label ?? null,
    predicted_value: e.predicted_value ?? null,
    scores: e.scores ? JSON.stringify(e.scores) : '',
    label: String(e.label),
    label_value: typeof e.label === 'number' ? e.label : null,
    predicted_at: seconds(e.predicted_at),
    predicted_at_ms: e.predicted_at,
    labeled_at: seconds(e.labeled_at),
    labeled_at_ms: e.labeled_at,
    label_delay_ms: e.labeled_at - e.predicted_at,
    correction: e.correction ? 1 : 0,
    tag_keys: tags.map(([k]) => k),
    tag_values: tags.map(([, v]) => v),
    source_partition: at.partition,
    source_offset: at.offset,
    ingested_at: seconds(nowMs),
  };
}

/** The `join_expirations` row of an unlabeled prediction or an orphan label. Pure. */
export function joinExpirationRow(e: JoinExpiration, at: SourcePosition, nowMs: number): JoinExpirationRow {
  return {
    prediction_id: e.prediction_id,
    model_id: e.model_id,
    model_version: e.model_version,
    kind: e.kind,
    event_at: seconds(e.event_at),
    event_at_ms: e.event_at,
    expired_at_ms: e.expired_at,
    source_partition: at.partition,
    source_offset: at.offset,
    ingested_at: seconds(nowMs),
  };
}
