import type { Alert, Evidence, RetrainTrigger } from '../../core/src/records/records.generated.ts';
import type { Condition } from './condition.ts';
import type { Diagnosis, Signals } from './diagnosis.ts';
import { alertId, triggerId } from './ids.ts';
import type { Notice } from './lifecycle.ts';
import type { RetrainReason } from './retrain-policy.ts';
import type { ResultWindow } from './window.ts';

/** Evidence items per event at most: the rule's own first, then the context that explains it. */
export const MAX_EVIDENCE = 20;

function dedupe(items: readonly Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return items.filter((e) => {
    const key = `${e.subject_type}|${e.subject}|${e.method}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The rule's evidence plus the signals behind the diagnosis (drifted features, classes, detectors, ops). */
export function alertEvidence(c: Condition, s: Signals): Evidence[] {
  const context = [
    ...s.driftedFeatures,
    ...(s.predictionDrift ? [s.predictionDrift] : []),
    ...s.recallDrops,
    ...s.detectorHits,
    ...s.operational,
  ];
  return dedupe([...c.evidence, ...context]).slice(0, MAX_EVIDENCE);
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

function headline(c: Condition, notice: Exclude<Notice, { kind: 'none' }>, w: ResultWindow): string {
  const at = `${w.modelId} ${w.modelVersion}`;
  if (notice.kind === 'resolved') {
    return `RESOLVED ${c.kind} ${c.metric} on ${at}: back to ${fmt(c.value)} (rule ${c.rule})`;
  }
  const why = { opened: 'firing', escalated: 'escalated', renotify: 'still firing' }[notice.reason];
  return `${notice.severity} ${c.kind} ${c.metric}=${fmt(c.value)} crossed ${fmt(c.threshold)} on ${at} (rule ${c.rule}, ${why})`;
}

/** The Alert event of a notice. `createdAt` is wall time, for readers; everything else is deterministic. */
export function alertEvent(
  c: Condition,
  notice: Exclude<Notice, { kind: 'none' }>,
  w: ResultWindow,
  s: Signals,
  d: Diagnosis,
  createdAt: number,
): Alert {
  const status = notice.kind === 'resolved' ? 'RESOLVED' : 'FIRING';
  return {
    alert_id: alertId(w.modelId, w.modelVersion, c.kind, c.metric, w.startMs, status),
    model_id: w.modelId,
    model_version: w.modelVersion,
    kind: c.kind,
    severity: notice.kind === 'resolved' ? 'INFO' : notice.severity,
    status,
    window_start: w.startMs,
    window_end: w.endMs,
    metric: c.metric,
    value: c.value,
    threshold: c.threshold,
    message: `${headline(c, notice, w)}. Diagnosis ${d.diagnosis}: ${d.message}. Remedy: ${d.remedy}.`,
    evidence: alertEvidence(c, s),
    diagnosis: d.diagnosis,
    created_at: createdAt,
  };
}

/** The RetrainTrigger of a policy decision, with the alerts behind it and the policy's own figures. */
export function triggerEvent(
  w: ResultWindow,
  reasons: readonly RetrainReason[],
  behind: readonly { alertId: string; evidence: readonly Evidence[] }[],
  policyEvidence: readonly Evidence[],
): RetrainTrigger {
  return {
    trigger_id: triggerId(w.modelId, w.modelVersion, w.endMs),
    model_id: w.modelId,
    model_version: w.modelVersion,
    reasons: [...reasons],
    triggered_at: w.endMs,
    evidence: dedupe([...behind.flatMap((b) => b.evidence), ...policyEvidence]).slice(0, MAX_EVIDENCE),
    alert_ids: [...new Set(behind.map((b) => b.alertId))],
  };
}
