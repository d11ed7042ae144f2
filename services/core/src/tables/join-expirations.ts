import type { Columns, WrittenRow } from './columns.ts';

/**
 * join_expirations (migration 0004): one row per entry the label joiner expired on event time ('unlabeled' or
 * 'orphan'), written by the sink (RowBinary, in this column order); ReplacingMergeTree by (kind, model_id,
 * prediction_id).
 */
export const JOIN_EXPIRATIONS = 'join_expirations';

export const JOIN_EXPIRATIONS_COLUMNS = {
  prediction_id: 'String',
  model_id: 'String',
  model_version: 'String',
  kind: 'String',
  event_at: 'DateTime',
  event_at_ms: 'UInt64',
  expired_at_ms: 'UInt64',
  source_partition: 'UInt32',
  source_offset: 'UInt64',
  ingested_at: 'DateTime',
} as const satisfies Columns;

/** A join_expirations row as written; the Kafka offset kept as its decimal string (an int64). */
export type JoinExpirationRow = Omit<WrittenRow<typeof JOIN_EXPIRATIONS_COLUMNS>, 'source_offset'> & {
  source_offset: string;
};
