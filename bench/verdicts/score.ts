/**
 * Grades a run against its truth: false alerts per 100 stationary model-windows, and for the change (if any)
 * whether it was detected, how late (windows after its first window, labeled or made events seen) and by
 * which alert. Uses the same grading as the demo (services/simulator/src/alert-truth.ts).
 */
import type { Alert } from '../../services/core/src/records/records.generated.ts';
import { alertKey, classifyAlert, classifyTrigger } from '../../services/simulator/src/alert-truth.ts';
import type { Emitted, Pipeline } from './pipeline.ts';
import type { ScenarioRun } from './run-scenario.ts';
import { START_MS } from './run-scenario.ts';
import { truthOf, VERSIONS, WINDOW_MS } from './scenarios.ts';

export interface Detection {
  /** Windows between the change's first window and the alert's window: 0 = on the first changed window. */
  windows: number;
  /** The target version's events since the change that had reached the pipeline when the alert went out. */
  events: number;
  /** Labeled (performance) or made (data) events: which `events` counts. */
  unit: 'labeled' | 'predictions';
  kind: string;
  provisional: boolean;
}

export interface ConfigScore {
  config: string;
  stationaryWindows: number;
  falseAlerts: number;
  /** False alerts by alert kind. */
  falseByKind: Record<string, number>;
  /** Retrain triggers not backed by a real change (scheduled ones excluded). */
  falseTriggers: number;
  /** Null when the scenario has no change; `missed` when no true alert came. */
  detection: Detection | 'missed' | null;
  lateLabels: number;
  /** Provisional alerts, and those the final window withdrew (a RESOLVED on the same window). */
  provisional: number;
  withdrawn: number;
}

/** Provisional alerts and their withdrawals: a RESOLVED on the provisional alert's own window. */
function provisionalCounts(alerts: readonly Emitted<Alert>[]): { provisional: number; withdrawn: number } {
  const provisional = new Set(alerts.filter((a) => a.event.provisional).map((a) => alertKey(a.event)));
  const withdrawn = alerts.filter(
    (a) => a.event.status === 'RESOLVED' && provisional.has(alertKey(a.event)),
  ).length;
  return { provisional: provisional.size, withdrawn };
}

/** FIRING events that count as an alert: the first of each alertKey (a confirmation repeats its provisional alert). */
function firing(alerts: readonly Emitted<Alert>[]): Emitted<Alert>[] {
  const seen = new Set<string>();
  return alerts.filter((a) => {
    if (a.event.status !== 'FIRING' || seen.has(alertKey(a.event))) return false;
    seen.add(alertKey(a.event));
    return true;
  });
}

function scoreConfig(run: ScenarioRun, p: Pipeline): ConfigScore {
  const s = run.scenario;
  const changes = truthOf(s, START_MS);
  const changedWindows = s.changeFrom === null ? 0 : s.windows - s.changeFrom;
  const out: ConfigScore = {
    config: p.config.name,
    stationaryWindows: VERSIONS.length * s.windows - changedWindows,
    falseAlerts: 0,
    falseByKind: {},
    falseTriggers: 0,
    detection: changes.length === 0 ? null : 'missed',
    lateLabels: p.lateLabels,
    ...provisionalCounts(p.alerts),
  };
  for (const a of firing(p.alerts)) {
    const v = classifyAlert(a.event, changes);
    if (v.truth === 'false') {
      out.falseAlerts += 1;
      out.falseByKind[a.event.kind] = (out.falseByKind[a.event.kind] ?? 0) + 1;
      continue;
    }
    if (out.detection !== 'missed') continue;
    const performance = v.change.detectedBy.includes('PERFORMANCE');
    const seen = run.exposure.get(a.atMs) ?? { predictions: 0, labels: 0 };
    out.detection = {
      windows: Math.max(0, Math.floor((a.event.window_start - v.change.fromMs) / WINDOW_MS)),
      events: performance ? seen.labels : seen.predictions,
      unit: performance ? 'labeled' : 'predictions',
      kind: a.event.kind,
      provisional: a.event.provisional === true,
    };
  }
  for (const t of p.triggers) {
    if (classifyTrigger(t.event, changes, WINDOW_MS) === 'false') out.falseTriggers += 1;
  }
  return out;
}

export function scoreRun(run: ScenarioRun): ConfigScore[] {
  return run.pipelines.map((p) => scoreConfig(run, p));
}
