import type { Columns, WrittenRow } from './columns.ts';

/**
 * ground_truth (migration 0002): one row per ground-truth event as it arrived, written by the sink (RowBinary,
 * in this column order); ReplacingMergeTree by its Kafka position. Read by the report and the MCP tools.
 */
export const GROUND_TRUTH = 'ground_truth';

export const GROUND_TRUTH_COLUMNS = {
  prediction_id: 'String',
  model_id: 'String',
  /** The label's text form, numeric labels included. */
  label: 'String',
  label_value: 'Nullable(Float64)',
  event_time: 'DateTime',
  event_time_ms: 'UInt64',
  source_partition: 'UInt32',
  source_offset: 'UInt64',
  ingested_at: 'DateTime',
} as const satisfies Columns;

/** A ground_truth row as written; the Kafka offset kept as its decimal string (an int64). */
export type GroundTruthRow = Omit<WrittenRow<typeof GROUND_TRUTH_COLUMNS>, 'source_offset'> & {
  source_offset: string;
};
