import type { Alert, AlertKind, RetrainTrigger } from '../../core/src/records/records.generated.ts';

/**
 * What simulated traffic really did, so its alerts can be graded: a change of one model version over an
 * event-time span of its predictions, the alert kinds that report it, and for input drift the features that
 * moved. Everything outside the changes is stationary: any alert there is false.
 */
export interface TrueChange {
  modelId: string;
  modelVersion: string;
  /** Event time (prediction time) of the changed traffic: [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /**
   * How far past `toMs` a CONCEPT_DRIFT alert's window may still report the change: the detectors fire on
   * label time, so the last changed predictions can raise one in the window after. @default 0
   */
  lateMs?: number;
  /** Alert kinds that report this change (an input shift: DATA_DRIFT; a worse model: PERFORMANCE, CONCEPT_DRIFT). */
  detectedBy: readonly AlertKind[];
  /** Features that changed: a DATA_DRIFT alert is true only when it names one of them. Empty: no condition. */
  features: readonly string[];
  /** Says what changed, for reports: `x0 mean +0.5 sd`. */
  label: string;
}

/** The fields of an alert that grading reads. */
export type GradedAlert = Pick<
  Alert,
  'model_id' | 'model_version' | 'kind' | 'metric' | 'window_start' | 'window_end' | 'evidence'
>;

export type AlertVerdict = { truth: 'true'; change: TrueChange } | { truth: 'false'; reason: string };

const overlaps = (c: TrueChange, fromMs: number, toMs: number, kind?: AlertKind) =>
  fromMs < c.toMs + (kind === 'CONCEPT_DRIFT' ? (c.lateMs ?? 0) : 0) && toMs > c.fromMs;

/**
 * The features an input-drift alert is about. An alert on one feature names it in its metric (its evidence then
 * adds the window's other drifted features as context, which must not make a wrong alert right); an alert on
 * the share of drifted features names them all in its evidence.
 */
export function namedFeatures(alert: GradedAlert): string[] {
  const features = [
    ...new Set(alert.evidence.filter((e) => e.subject_type === 'feature').map((e) => e.subject)),
  ];
  const inMetric = features.filter((f) => metricNames(alert.metric, f));
  return inMetric.length > 0 ? inMetric : features;
}

/** Whether a metric such as `x0`, `drift:x0` or `x0:ks` names the feature (not merely contains its text). */
function metricNames(metric: string, feature: string): boolean {
  return metric.split(/[:|/ ]/).includes(feature);
}

/**
 * Grades one alert against the truth: true when a change of its model version overlaps the alert's window,
 * is of a kind the alert reports, and (input drift) the alert names a feature that changed. Pure.
 * @example classifyAlert(dataDriftOnX0InShiftedWindow, [x0Shift]) // {truth: 'true', change: x0Shift}
 */
export function classifyAlert(alert: GradedAlert, changes: readonly TrueChange[]): AlertVerdict {
  const during = changes.filter(
    (c) =>
      c.modelId === alert.model_id &&
      c.modelVersion === alert.model_version &&
      overlaps(c, alert.window_start, alert.window_end, alert.kind),
  );
  if (during.length === 0) return { truth: 'false', reason: 'stationary: nothing changed in this window' };
  const ofKind = during.filter((c) => c.detectedBy.includes(alert.kind));
  if (ofKind.length === 0) {
    return {
      truth: 'false',
      reason: `${alert.kind} does not report ${during.map((c) => c.label).join(', ')}`,
    };
  }
  if (alert.kind !== 'DATA_DRIFT') return { truth: 'true', change: ofKind[0]! };
  const named = namedFeatures(alert);
  const right = ofKind.find((c) => c.features.length === 0 || c.features.some((f) => named.includes(f)));
  if (right) return { truth: 'true', change: right };
  const moved = [...new Set(ofKind.flatMap((c) => c.features))].join(', ');
  return {
    truth: 'false',
    reason: `names ${named.join(', ') || 'no feature'}, not a shifted one (${moved})`,
  };
}

/** Retrain reasons that come from the policy's schedule, not from a verdict on the data. */
const SCHEDULED = new Set(['new_labeled_samples', 'max_age']);

export type TriggerVerdict = 'true' | 'false' | 'scheduled';

/**
 * Grades a retrain trigger: `scheduled` when only the policy's schedule asked for it (enough new labels, the
 * maximum age); else true when a change of its version overlaps the window it was decided on.
 */
export function classifyTrigger(
  t: Pick<RetrainTrigger, 'model_id' | 'model_version' | 'reasons' | 'triggered_at'>,
  changes: readonly TrueChange[],
  windowMs: number,
): TriggerVerdict {
  if (t.reasons.every((r) => SCHEDULED.has(r))) return 'scheduled';
  const hit = changes.some(
    (c) =>
      c.modelId === t.model_id &&
      c.modelVersion === t.model_version &&
      overlaps(c, t.triggered_at - windowMs, t.triggered_at),
  );
  return hit ? 'true' : 'false';
}

export interface TruthTally {
  trueAlerts: number;
  falseAlerts: number;
  /** One line per false alert: what it said and why it is false. */
  falseLines: string[];
  /** Changes no alert reported. */
  missed: TrueChange[];
  triggers: Record<TriggerVerdict, number>;
}

/**
 * What makes FIRING events one alert: the same model version, kind and metric on the same window. A
 * provisional alert and its confirmation on the final window are one alert, as are a replay's copies.
 */
export function alertKey(a: GradedAlert): string {
  return [a.model_id, a.model_version, a.kind, a.metric, a.window_start].join('|');
}

/**
 * Counts the FIRING alerts (see alertKey) and the triggers of a run as true or false, and the changes that no
 * true alert reported.
 */
export function tallyTruth(
  alerts: readonly (GradedAlert & Pick<Alert, 'status'>)[],
  triggers: readonly Pick<RetrainTrigger, 'model_id' | 'model_version' | 'reasons' | 'triggered_at'>[],
  changes: readonly TrueChange[],
  windowMs: number,
): TruthTally {
  const tally: TruthTally = {
    trueAlerts: 0,
    falseAlerts: 0,
    falseLines: [],
    missed: [],
    triggers: { true: 0, false: 0, scheduled: 0 },
  };
  const seen = new Set<string>();
  const reported = new Set<TrueChange>();
  for (const a of alerts) {
    if (a.status !== 'FIRING' || seen.has(alertKey(a))) continue;
    seen.add(alertKey(a));
    const v = classifyAlert(a, changes);
    if (v.truth === 'true') {
      tally.trueAlerts += 1;
      reported.add(v.change);
    } else {
      tally.falseAlerts += 1;
      const at = new Date(a.window_start).toISOString().slice(11, 16);
      tally.falseLines.push(
        `${a.kind} ${a.metric} on ${a.model_id}/${a.model_version} at ${at}: ${v.reason}`,
      );
    }
  }
  tally.missed = changes.filter((c) => !reported.has(c));
  for (const t of triggers) tally.triggers[classifyTrigger(t, changes, windowMs)] += 1;
  return tally;
}
