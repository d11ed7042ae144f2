import type { AnyRow, Columns, ReadRow, WrittenRow } from './columns.ts';

/**
 * retrain_triggers (migration 0012): one row per RetrainTrigger event, the Kafka event field for field;
 * ReplacingMergeTree by trigger_id. Written through core/clickhouse/alert-rows.ts; read by the demo, the live
 * view and the MCP tools.
 */
export const RETRAIN_TRIGGERS = 'retrain_triggers';

export const RETRAIN_TRIGGERS_COLUMNS = {
  trigger_id: 'String',
  model_id: 'String',
  model_version: 'String',
  reasons: 'Array(String)',
  /** The event time of the window that decided it. */
  triggered_at: 'DateTime',
  triggered_at_ms: 'UInt64',
  /** As in alerts: the Evidence records as JSON, repeated as parallel arrays. */
  evidence: 'String',
  evidence_subjects: 'Array(String)',
  evidence_types: 'Array(String)',
  evidence_scores: 'Array(Float64)',
  alert_ids: 'Array(String)',
} as const satisfies Columns;

type C = typeof RETRAIN_TRIGGERS_COLUMNS;
/** A retrain_triggers row as written (DateTime columns in epoch seconds). */
export type RetrainTriggerRow = WrittenRow<C>;
/** A retrain_triggers row as read back (UInt64 and DateTime as strings). */
export type RetrainTriggerReadRow = ReadRow<C>;
/** Either: for pure functions fed rows read back or rows about to be written. */
export type RetrainTriggerAnyRow = AnyRow<C>;
