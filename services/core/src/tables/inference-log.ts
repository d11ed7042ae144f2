import type { Columns, WrittenRow } from './columns.ts';

/**
 * inference_log (migrations 0001, 0016): one row per inference event, written by the sink (RowBinary, in this
 * column order); ReplacingMergeTree by (model_id, prediction_id). Read by the drift monitor's reference source,
 * the report, the demo and the MCP tools.
 */
export const INFERENCE_LOG = 'inference_log';

export const INFERENCE_LOG_COLUMNS = {
  prediction_id: 'String',
  model_id: 'String',
  model_version: 'String',
  event_time: 'DateTime',
  event_time_ms: 'UInt64',
  predicted_label: 'Nullable(String)',
  predicted_value: 'Nullable(Float64)',
  /** JSON of the class scores, or empty. */
  scores: 'String',
  /** JSON of every feature; the four arrays below repeat the numeric and categorical ones for queries. */
  features: 'String',
  num_feature_names: 'Array(String)',
  num_feature_values: 'Array(Float64)',
  cat_feature_names: 'Array(String)',
  cat_feature_values: 'Array(String)',
  latency_ms: 'Nullable(Float64)',
  tag_keys: 'Array(String)',
  tag_values: 'Array(String)',
  source_partition: 'UInt32',
  source_offset: 'UInt64',
  ingested_at: 'DateTime',
  /** JSON of the named embeddings when DRIFTLINE_SINK_EMBEDDINGS is on, else empty. */
  embeddings: 'String',
} as const satisfies Columns;

/** An inference_log row as written; the Kafka offset kept as its decimal string (an int64). */
export type InferenceLogRow = Omit<WrittenRow<typeof INFERENCE_LOG_COLUMNS>, 'source_offset'> & {
  source_offset: string;
};
