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

export const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

/**
 * How an event relates to an early verdict: `provisional` (decided on an open window), `confirms` (the final
 * window upholds the provisional alert of that id) or `withdraws` (it does not, for the reason given).
 */
export type Early =
  | { kind: 'provisional'; samples: number; estimated?: boolean }
  | { kind: 'confirms'; alertId: string }
  | { kind: 'withdraws'; alertId: string; reason: string };

function headline(
  c: Condition,
  notice: Exclude<Notice, { kind: 'none' }>,
  w: ResultWindow,
  early?: Early,
): string {
  const at = `${w.modelId} ${w.modelVersion}`;
  if (early?.kind === 'withdraws') {
    return `WITHDRAWN provisional ${c.kind} ${c.metric} on ${at} (alert ${early.alertId}, rule ${c.rule}): ${early.reason}`;
  }
  if (notice.kind === 'resolved') {
    return `RESOLVED ${c.kind} ${c.metric} on ${at}: back to ${fmt(c.value)} (rule ${c.rule})`;
  }
  const why = { opened: 'firing', escalated: 'escalated', renotify: 'still firing' }[notice.reason];
  const line = `${notice.severity} ${c.kind} ${c.metric}=${fmt(c.value)} crossed ${fmt(c.threshold)} on ${at} (rule ${c.rule}, ${why})`;
  if (early?.kind === 'provisional' && early.estimated) {
    return `PROVISIONAL ESTIMATED ${line}: estimated from the calibrated scores of ${early.samples} predictions before their labels (confidence-based); confirmed or withdrawn by the realized figures when final`;
  }
  if (early?.kind === 'provisional') {
    return `PROVISIONAL ${line}: decided on the open window with ${early.samples} labeled predictions; confirmed or withdrawn when it is final`;
  }
  if (early?.kind === 'confirms') return `${line}: confirms provisional alert ${early.alertId}`;
  return line;
}

/** The id's status part: a provisional alert and its withdrawal have ids of their own. */
function idStatus(status: 'FIRING' | 'RESOLVED', early?: Early): string {
  if (early?.kind === 'provisional') return 'PROVISIONAL';
  if (early?.kind === 'withdraws') return 'WITHDRAWN';
  return status;
}

/**
 * The Alert event of a notice. `createdAt` is wall time, for readers; everything else is deterministic.
 * A withdrawal is a RESOLVED notice with `early.kind === 'withdraws'`.
 */
export function alertEvent(
  c: Condition,
  notice: Exclude<Notice, { kind: 'none' }>,
  w: ResultWindow,
  s: Signals,
  d: Diagnosis,
  createdAt: number,
  early?: Early,
): Alert {
  const status = notice.kind === 'resolved' ? 'RESOLVED' : 'FIRING';
  return {
    alert_id: alertId(w.modelId, w.modelVersion, c.kind, c.metric, w.startMs, idStatus(status, early)),
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
    message: `${headline(c, notice, w, early)}${c.detail ? `. ${c.detail}` : ''}. Diagnosis ${d.diagnosis}: ${d.message}. Remedy: ${d.remedy}.`,
    evidence: alertEvidence(c, s),
    diagnosis: d.diagnosis,
    provisional: early?.kind === 'provisional',
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
