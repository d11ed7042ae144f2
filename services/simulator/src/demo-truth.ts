import type { Alert, RetrainTrigger } from '../../core/src/records/records.generated.ts';
import {
  alertKey,
  classifyAlert,
  namedFeatures,
  tallyTruth,
  type GradedAlert,
  type TrueChange,
} from './alert-truth.ts';
import type { PhaseSpan } from './demo-scenario.ts';

export type { PhaseSpan } from './demo-scenario.ts';

/** How late a label may come after its prediction in the demo (classifier-traffic.ts: 1 to 61 s). */
const LABEL_DELAY_MS = 61_000;

/** The churn versions the demo's phases change; the regressor `price` stays stationary throughout. */
const CHANGED_VERSIONS = ['v1', 'v2'];

/**
 * What the demo's phases really change, against the first phase's behaviour: shifted features (DATA_DRIFT,
 * naming them) and a higher error rate (PERFORMANCE, CONCEPT_DRIFT). Pure.
 */
export function demoTruth(spans: readonly PhaseSpan[]): TrueChange[] {
  const normal = spans[0]?.phase;
  if (!normal) return [];
  const out: TrueChange[] = [];
  for (const { phase, fromMs, toMs } of spans) {
    const span = { modelId: 'churn', fromMs, toMs, label: phase.name };
    for (const modelVersion of CHANGED_VERSIONS) {
      if (phase.shift !== 0 && phase.shiftedFeatures > 0) {
        const features = Array.from({ length: phase.shiftedFeatures }, (_, i) => `x${i}`);
        out.push({ ...span, modelVersion, detectedBy: ['DATA_DRIFT'], features });
      }
      if (phase.errorRate > normal.errorRate) {
        out.push({
          ...span,
          modelVersion,
          detectedBy: ['PERFORMANCE', 'CONCEPT_DRIFT'],
          features: [],
          lateMs: LABEL_DELAY_MS,
        });
      }
    }
  }
  return out;
}

/** An alert as the demo collected it (one per alert_id and provisional flag). */
export type DemoAlert = GradedAlert & Pick<Alert, 'alert_id' | 'status' | 'provisional' | 'message'>;
export type DemoTrigger = Pick<RetrainTrigger, 'model_id' | 'model_version' | 'reasons' | 'triggered_at'>;

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Performance alerts of a phase: provisional ones, and how their final windows answered. */
function performancePart(all: readonly DemoAlert[], list: readonly DemoAlert[]): string {
  const provisional = new Set(list.filter((a) => a.provisional).map(alertKey));
  const answered = (status: DemoAlert['status']) =>
    all.filter((a) => !a.provisional && a.status === status && provisional.has(alertKey(a))).length;
  const final = list.filter((a) => !a.provisional && !provisional.has(alertKey(a))).length;
  return (
    `PERFORMANCE ${provisional.size} provisional (${answered('FIRING')} confirmed, ` +
    `${answered('RESOLVED')} withdrawn), ${final} more on final windows`
  );
}

/** One phase's line: its alerts by kind (provisional and confirmed performance alerts apart) and triggers. */
function phaseLine(span: PhaseSpan, alerts: readonly DemoAlert[], triggers: readonly DemoTrigger[]): string {
  const inside = alerts.filter(
    (a) => a.status === 'FIRING' && a.window_start >= span.fromMs && a.window_start < span.toMs,
  );
  const byKind = new Map<string, DemoAlert[]>();
  for (const a of inside) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a]);
  const count = (list: readonly DemoAlert[]) => new Set(list.map(alertKey)).size;
  const parts = [...byKind].map(([kind, list]) => {
    if (kind === 'DATA_DRIFT') {
      const named = [...new Set(list.flatMap(namedFeatures))].sort();
      return `${count(list)} DATA_DRIFT naming ${named.join(', ') || 'no feature'}`;
    }
    if (kind === 'PERFORMANCE') return performancePart(alerts, list);
    return `${count(list)} ${kind}`;
  });
  const retrains = triggers.filter((t) => t.triggered_at > span.fromMs && t.triggered_at <= span.toMs).length;
  const said = parts.length > 0 ? parts.join('; ') : 'no alert';
  return `  ${hhmm(span.fromMs)}-${hhmm(span.toMs)} ${span.phase.name}: ${said}; ${retrains} retrain triggers`;
}

/**
 * What the demo prints at the end: per phase what the pipeline said, then how many alerts were true and how
 * many false (each false one with why), the changes no alert reported, and the retrain triggers graded. Pure.
 */
export function demoVerdictLines(
  spans: readonly PhaseSpan[],
  alerts: readonly DemoAlert[],
  triggers: readonly DemoTrigger[],
  windowMs: number,
): string[] {
  const tally = tallyTruth(alerts, triggers, demoTruth(spans), windowMs);
  const lines = ['what the demo changed, and what the pipeline said:'];
  for (const span of spans) lines.push(phaseLine(span, alerts, triggers));
  lines.push(`alerts: ${tally.trueAlerts} true, ${tally.falseAlerts} false`);
  for (const f of tally.falseLines) lines.push(`  false: ${f}`);
  for (const m of tally.missed) {
    lines.push(`  missed: ${m.label} on ${m.modelId}/${m.modelVersion} (${m.detectedBy.join(' or ')})`);
  }
  const t = tally.triggers;
  lines.push(
    `retrain triggers: ${t.true} true, ${t.false} false, ${t.scheduled} scheduled (age, new labels)`,
  );
  return lines;
}

/** Grades one alert for the live view: `true` or `false (why)`. */
export function verdictOf(alert: DemoAlert, spans: readonly PhaseSpan[]): string {
  const v = classifyAlert(alert, demoTruth(spans));
  return v.truth === 'true' ? 'true' : `false (${v.reason})`;
}
