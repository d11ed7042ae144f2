import type { ClickHouseClient } from './client.ts';
import { writerOf, type ClickHouseWriter } from './writer.ts';
import type { Alert, Evidence, RetrainTrigger } from '../records/records.generated.ts';
import { ALERTS, type AlertRow } from '../tables/alerts.ts';
import { RETRAIN_TRIGGERS, type RetrainTriggerRow } from '../tables/retrain-triggers.ts';

/**
 * Rows of `alerts` and `retrain_triggers` (migrations 0011, 0012, 0013): the Kafka event, field for field. The
 * one home for both tables' rows: every service that publishes an Alert (the alerter, the sink's golden-set
 * checks) stores it here too, so every alert is queryable where users look.
 */

const seconds = (ms: number) => Math.floor(ms / 1000);

function evidenceColumns(evidence: readonly Evidence[]) {
  return {
    evidence: JSON.stringify(evidence),
    evidence_subjects: evidence.map((e) => e.subject),
    evidence_types: evidence.map((e) => e.subject_type),
    evidence_scores: evidence.map((e) => e.score),
  };
}

export function alertRow(a: Alert): AlertRow {
  const created = a.created_at ?? a.window_end;
  return {
    alert_id: a.alert_id,
    model_id: a.model_id,
    model_version: a.model_version,
    kind: a.kind,
    severity: a.severity,
    status: a.status,
    window_start: seconds(a.window_start),
    window_end: seconds(a.window_end),
    window_start_ms: a.window_start,
    window_end_ms: a.window_end,
    metric: a.metric,
    value: a.value,
    threshold: a.threshold,
    message: a.message,
    ...evidenceColumns(a.evidence),
    diagnosis: a.diagnosis ?? null,
    provisional: a.provisional ? 1 : 0,
    created_at: seconds(created),
    created_at_ms: created,
  };
}

export function triggerRow(t: RetrainTrigger): RetrainTriggerRow {
  return {
    trigger_id: t.trigger_id,
    model_id: t.model_id,
    model_version: t.model_version,
    reasons: t.reasons,
    triggered_at: seconds(t.triggered_at),
    triggered_at_ms: t.triggered_at,
    ...evidenceColumns(t.evidence),
    alert_ids: t.alert_ids,
  };
}

/**
 * Inserts alerts and triggers into `<database>.alerts` and `<database>.retrain_triggers`. Idempotent by id
 * (ReplacingMergeTree; query with FINAL), so a caller may write the same events again after a crash.
 * @param target a writer (its retry policy), or a bare client: one attempt, for a caller whose round retries.
 * @throws ServerUnavailableError / RetriesExceededError (core/clickhouse/writer.ts): the caller's round or batch replays.
 */
export async function insertAlertRows(
  target: ClickHouseClient | ClickHouseWriter,
  database: string,
  events: { alerts?: readonly Alert[]; triggers?: readonly RetrainTrigger[] },
): Promise<{ alerts: number; triggers: number }> {
  const writer = writerOf(target);
  const alerts = (events.alerts ?? []).map(alertRow);
  const triggers = (events.triggers ?? []).map(triggerRow);
  await writer.insert(database, ALERTS, alerts);
  await writer.insert(database, RETRAIN_TRIGGERS, triggers);
  return { alerts: alerts.length, triggers: triggers.length };
}
