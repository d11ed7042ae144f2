import type { Alert, Evidence, RetrainTrigger } from '../../core/src/records/records.generated.ts';

/** Rows of `alerts` and `retrain_triggers` (migrations 0011, 0012, 0013): the Kafka event, field for field. */

const seconds = (ms: number) => Math.floor(ms / 1000);

function evidenceColumns(evidence: readonly Evidence[]) {
  return {
    evidence: JSON.stringify(evidence),
    evidence_subjects: evidence.map((e) => e.subject),
    evidence_types: evidence.map((e) => e.subject_type),
    evidence_scores: evidence.map((e) => e.score),
  };
}

export function alertRow(a: Alert): Record<string, unknown> {
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

export function triggerRow(t: RetrainTrigger): Record<string, unknown> {
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
