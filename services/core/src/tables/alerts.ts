import type { AnyRow, Columns, ReadRow, WrittenRow } from './columns.ts';

/**
 * alerts (migrations 0011, 0013): one row per Alert event, the Kafka event field for field; ReplacingMergeTree by
 * alert_id. Written through core/clickhouse/alert-rows.ts by every service that publishes an Alert; read by the
 * report, the demo and the MCP tools.
 */
export const ALERTS = 'alerts';

export const ALERTS_COLUMNS = {
  alert_id: 'String',
  model_id: 'String',
  model_version: 'String',
  kind: 'String',
  severity: 'String',
  status: 'String',
  window_start: 'DateTime',
  window_end: 'DateTime',
  window_start_ms: 'UInt64',
  window_end_ms: 'UInt64',
  metric: 'String',
  value: 'Float64',
  threshold: 'Float64',
  message: 'String',
  /** The JSON array of the event's Evidence records; the three arrays below repeat it for has() and arrayJoin. */
  evidence: 'String',
  evidence_subjects: 'Array(String)',
  evidence_types: 'Array(String)',
  evidence_scores: 'Array(Float64)',
  diagnosis: 'Nullable(String)',
  created_at: 'DateTime',
  created_at_ms: 'UInt64',
  /** 1 for an alert decided on an open window. */
  provisional: 'UInt8',
} as const satisfies Columns;

type C = typeof ALERTS_COLUMNS;
/** An alerts row as written (DateTime columns in epoch seconds). */
export type AlertRow = WrittenRow<C>;
/** An alerts row as read back (UInt64 and DateTime as strings). */
export type AlertReadRow = ReadRow<C>;
/** Either: for pure functions fed rows read back or rows about to be written. */
export type AlertAnyRow = AnyRow<C>;
