import type { Alert, RetrainTrigger } from '../../core/src/records/records.generated.ts';
import { advanceAlerts } from './advance-alerts.ts';
import { agreementConditions } from './agreement-conditions.ts';
import { evidence, type Condition } from './condition.ts';
import type { Signals } from './diagnosis.ts';
import { driftConditions } from './drift-conditions.ts';
import { triggerEvent } from './events.ts';
import { performanceConditions } from './performance-conditions.ts';
import { evaluateOpen } from './provisional.ts';
import { retrainBasis } from './retrain-basis.ts';
import { decide, type PolicyDecision } from './retrain-policy.ts';
import type { ModelRules } from './rules/schema.ts';
import { windowSignals } from './signals.ts';
import { cursorKey, signalsOf, type ModelState } from './state.ts';
import type { ResultWindow } from './window.ts';

export interface Evaluation {
  state: ModelState;
  alerts: Alert[];
  triggers: RetrainTrigger[];
  decision: PolicyDecision;
  /** False when the window was at or behind the cursor and was skipped. */
  evaluated: boolean;
}

/** Dead-letter share of the input events since the previous drift window (pipeline-wide: dead letters name no model). */
function deadLetterRate(state: ModelState, w: ResultWindow): number | null {
  if (w.source !== 'drift' || !w.deadLetter || !state.deadLetter) return null;
  const input = w.deadLetter.input - state.deadLetter.input;
  const dead = w.deadLetter.dead - state.deadLetter.dead;
  return input > 0 ? Math.max(0, dead) / input : null;
}

/**
 * The detections a drift window counts: those past the version's detection cursor (a joined-topic offset, so
 * a detection that fired late, after its own hour was evaluated, lands in the next window instead of being
 * lost); before the first one, those inside the window.
 */
function freshDetections(state: ModelState, w: ResultWindow): ResultWindow {
  if (w.source !== 'drift') return w;
  const seen = state.cursors[cursorKey(w.modelVersion, 'detections')];
  const fresh = w.detections.filter((d) => (seen === undefined ? d.atMs >= w.startMs : d.offset > seen));
  return { ...w, detections: fresh };
}

function detectionCursor(state: ModelState, w: ResultWindow): Record<string, number> {
  if (w.source !== 'drift' || w.detections.length === 0) return {};
  const key = cursorKey(w.modelVersion, 'detections');
  return { [key]: Math.max(state.cursors[key] ?? -1, ...w.detections.map((d) => d.offset)) };
}

function conditionsOf(state: ModelState, w: ResultWindow, rules: ModelRules): Condition[] {
  if (w.source === 'agreement') return agreementConditions(w, rules);
  return w.source === 'performance'
    ? performanceConditions(w, rules)
    : driftConditions(w, rules, deadLetterRate(state, w));
}

/**
 * Both sides of the version's signals, this window's side replaced by what it says. An agreement window says
 * nothing for diagnosis: its alerts are diagnosed from the version's drift and performance sides as they are.
 */
function updatedSignals(state: ModelState, w: ResultWindow, conditions: Condition[]) {
  const previous = signalsOf(state, w.modelVersion);
  const side = w.source === 'drift' ? 'drift' : 'performance';
  const said = w.source === 'agreement' ? {} : windowSignals(w, conditions);
  const next = { ...previous, [side]: { ...previous[side], ...said } };
  const merged: Signals = {
    ...next.drift,
    recallDrops: next.performance.recallDrops,
    performanceDrop: next.performance.performanceDrop,
  };
  return { stored: next, merged };
}

/**
 * Evaluates one window of one model version. A final window: rules → conditions → lifecycles → alerts (with
 * the confirmation or withdrawal of its provisional alerts), then the retrain policy → at most one trigger.
 * An open performance window (`final: false`): provisional alerts only (provisional.ts). Pure: the state goes
 * in, the next state and the events come out; `now` is only the events' `created_at`. A window at or behind
 * its cursor changes nothing.
 */
export function evaluate(
  state: ModelState,
  window: ResultWindow,
  rules: ModelRules,
  now: number,
): Evaluation {
  if (window.source === 'performance' && window.final === false) {
    const open = evaluateOpen(state, window, rules, now);
    const evaluated = open.alerts.length > 0;
    return { ...open, triggers: [], decision: { action: 'none' }, evaluated };
  }
  const cursor = cursorKey(window.modelVersion, window.source);
  if ((state.cursors[cursor] ?? -Infinity) >= window.endMs) {
    return { state, alerts: [], triggers: [], decision: { action: 'none' }, evaluated: false };
  }
  const w = freshDetections(state, window);
  const conditions = conditionsOf(state, w, rules);
  const signals = updatedSignals(state, w, conditions);
  const { alerts, next, provisional } = advanceAlerts(state, w, conditions, signals.merged, now);
  const basis = retrainBasis(next, w, rules, signals.merged, conditions);
  const labeled = w.source === 'performance' ? w.sampleCount : 0;
  const [policy, decision] = decide(
    state.policy,
    { nowMs: w.endMs, labeled, criticalPerformance: basis.performance, criticalFeatureDrift: basis.drift },
    rules.retrain,
  );
  const triggers: RetrainTrigger[] = [];
  if (decision.action === 'trigger') {
    const figures = [
      evidence('labeled_since_last_retrain', 'policy', 'count', state.policy.labeledSince + labeled),
      evidence('held_back_before', 'policy', 'count', decision.heldBackBefore),
    ];
    triggers.push(triggerEvent(w, decision.reasons, basis.behind, figures));
  }
  const nextState: ModelState = {
    ...state,
    cursors: { ...state.cursors, [cursor]: w.endMs, ...detectionCursor(state, w) },
    alerts: next,
    provisional,
    policy,
    signals: { ...state.signals, [w.modelVersion]: signals.stored },
    deadLetter: w.source === 'drift' && w.deadLetter ? w.deadLetter : state.deadLetter,
  };
  return { state: nextState, alerts, triggers, decision, evaluated: true };
}
