import type { Columns, WrittenRow } from './columns.ts';

/**
 * labeled_predictions (migration 0003): one row per prediction joined to its label, written by the sink from the
 * label joiner's transactional topic (RowBinary, in this column order); ReplacingMergeTree(source_offset) by
 * (model_id, prediction_id), so a later correction wins. Read by the performance monitor's and estimator's
 * queries, the report and the MCP tools.
 */
export const LABELED_PREDICTIONS = 'labeled_predictions';

export const LABELED_PREDICTIONS_COLUMNS = {
  prediction_id: 'String',
  model_id: 'String',
  model_version: 'String',
  predicted_label: 'Nullable(String)',
  predicted_value: 'Nullable(Float64)',
  scores: 'String',
  label: 'String',
  label_value: 'Nullable(Float64)',
  predicted_at: 'DateTime',
  predicted_at_ms: 'UInt64',
  labeled_at: 'DateTime',
  labeled_at_ms: 'UInt64',
  /** Signed: a label's event time may precede the prediction's. */
  label_delay_ms: 'Int64',
  correction: 'UInt8',
  tag_keys: 'Array(String)',
  tag_values: 'Array(String)',
  source_partition: 'UInt32',
  source_offset: 'UInt64',
  ingested_at: 'DateTime',
} as const satisfies Columns;

/** A labeled_predictions row as written; the Kafka offset kept as its decimal string (an int64). */
export type LabeledPredictionRow = Omit<WrittenRow<typeof LABELED_PREDICTIONS_COLUMNS>, 'source_offset'> & {
  source_offset: string;
};
