import type { Alert, Evidence } from '../../core/src/records/records.generated.ts';
import type { Condition } from './condition.ts';
import { diagnose, type Signals } from './diagnosis.ts';
import { alertEvent, fmt, type Early } from './events.ts';
import { INACTIVE, step, type Notice } from './lifecycle.ts';
import { performanceConditions } from './performance-conditions.ts';
import type { ModelRules } from './rules/schema.ts';
import { windowSignals } from './signals.ts';
import { alertKey, cursorKey, signalsOf, type ModelState, type ProvisionalAlert } from './state.ts';
import type { PerformanceWindow, ResultWindow } from './window.ts';

/**
 * Early verdicts: an open performance window that already holds enough labeled predictions is judged by the
 * same rules; a condition that would open its alert if the window were final is published at once as a
 * provisional FIRING. The lifecycle and the cursor do not move (the final window decides), and no retrain
 * follows. When the window is final, evaluate.ts confirms the provisional alert or withdraws it.
 */

const isOpen = (phase: string) => phase === 'firing' || phase === 'resolving';

function mergedSignals(state: ModelState, w: PerformanceWindow, conditions: Condition[]): Signals {
  const both = signalsOf(state, w.modelVersion);
  return { ...both.drift, ...both.performance, ...windowSignals(w, conditions) } as Signals;
}

/** The rules with each performance rule's alpha lowered to the provisional one (repeated looks at one window). */
function stricter(rules: ModelRules): ModelRules {
  const performance = Object.fromEntries(
    Object.entries(rules.rules.performance).map(([name, r]) => [
      name,
      { ...r, alpha: Math.min(r.alpha, rules.provisional.alpha) },
    ]),
  );
  return { ...rules, rules: { ...rules.rules, performance } };
}

/** The provisional alerts an open window raises, and the state that remembers them (unchanged when none). */
export function evaluateOpen(
  state: ModelState,
  w: PerformanceWindow,
  rules: ModelRules,
  now: number,
): { state: ModelState; alerts: Alert[] } {
  const { enabled, min_samples } = rules.provisional;
  const behind = (state.cursors[cursorKey(w.modelVersion, w.source)] ?? -Infinity) >= w.endMs;
  if (!enabled || behind || w.sampleCount < min_samples) return { state, alerts: [] };
  const conditions = performanceConditions(w, stricter(rules));
  const signals = mergedSignals(state, w, conditions);
  const provisional = { ...state.provisional };
  const alerts: Alert[] = [];
  for (const c of conditions) {
    const key = alertKey(w.modelVersion, c.kind, c.metric);
    const current = state.alerts[key] ?? INACTIVE;
    if (c.verdict.level !== 'breach' || isOpen(current.phase)) continue;
    // One provisional alert per alert at a time: the earliest open window decides, later ones wait for it.
    if (provisional[key]) continue;
    const [, notice] = step(current, c.verdict, c.lifecycle, w.endMs);
    if (notice.kind !== 'firing') continue;
    const early: Early = { kind: 'provisional', samples: w.sampleCount, estimated: w.estimated === true };
    const judged = w.estimated ? { ...c, evidence: [...c.evidence, estimateEvidence(c, w)] } : c;
    const event = alertEvent(judged, notice, w, signals, diagnose(c.kind, signals), now, early);
    alerts.push(event);
    provisional[key] = {
      windowStartMs: w.startMs,
      alertId: event.alert_id,
      kind: c.kind,
      metric: c.metric,
      rule: c.rule,
      value: c.value,
      threshold: c.threshold,
    };
  }
  return alerts.length === 0 ? { state, alerts } : { state: { ...state, provisional }, alerts };
}

/** Marks a verdict on estimated figures in its evidence: the estimate and the predictions behind it. */
function estimateEvidence(c: Condition, w: PerformanceWindow): Evidence {
  return {
    subject: c.metric,
    subject_type: 'metric',
    method: 'estimated_before_labels',
    test: 'confidence_based_performance_estimation',
    score: c.value,
    sample_count: w.sampleCount,
  };
}

/** Why the final window did not uphold a provisional alert. */
function withdrawalReason(c: Condition, notice: Notice): string {
  const test = c.evidence[0];
  const p = test?.p_value != null ? `, one-sided p=${fmt(test.p_value)} (${test.test ?? 'test'})` : '';
  const what = `the final window gives ${c.metric}=${fmt(c.value)}${p}`;
  if (c.verdict.level === 'breach' && notice.kind === 'none')
    return `${what}: breaching, but not yet for enough windows`;
  return `${what}: no longer a breach`;
}

/**
 * The early-verdict side of a final window's notice for one condition: `confirms` when a provisional alert of
 * this window is upheld (a FIRING notice), `withdraws` when it is not; undefined when there was none.
 */
export function settle(
  p: ProvisionalAlert | undefined,
  w: ResultWindow,
  c: Condition,
  notice: Notice,
  openAfter: boolean,
) {
  if (!p || p.windowStartMs !== w.startMs) return undefined;
  // Upheld: it opens now, or it is open already (an earlier final window opened it) and still breaches.
  const upheld = notice.kind === 'firing' || (openAfter && c.verdict.level === 'breach');
  if (upheld) return { kind: 'confirms', alertId: p.alertId } as const;
  return { kind: 'withdraws', alertId: p.alertId, reason: withdrawalReason(c, notice) } as const;
}

/**
 * Provisional alerts of this version whose window is final now (or passed) but which no condition settled (the
 * figure vanished): withdrawn, so none stays unanswered.
 */
export function withdrawLeftovers(
  provisional: Record<string, ProvisionalAlert>,
  settled: ReadonlySet<string>,
  w: ResultWindow,
  signals: Signals,
  now: number,
): Alert[] {
  const out: Alert[] = [];
  for (const [key, p] of Object.entries(provisional)) {
    if (!key.startsWith(`${w.modelVersion}|`) || settled.has(key) || p.windowStartMs > w.startMs) continue;
    if (w.source !== 'performance') continue;
    out.push(withdrawal(p, w, 'the final window has no figure for it', signals, now));
    delete provisional[key];
  }
  return out;
}

/** The RESOLVED event withdrawing provisional alert `p`; `w` gives the model, version and window end. */
export function withdrawal(
  p: ProvisionalAlert,
  w: ResultWindow,
  reason: string,
  signals: Signals,
  now: number,
): Alert {
  const c: Condition = {
    kind: p.kind,
    metric: p.metric,
    rule: p.rule,
    verdict: { level: 'clear' },
    value: p.value,
    threshold: p.threshold,
    evidence: [],
    lifecycle: { forWindows: 1, resolveWindows: 1, renotifyAfterMs: 0 },
  };
  const early: Early = { kind: 'withdraws', alertId: p.alertId, reason };
  const at = { ...w, startMs: p.windowStartMs };
  return alertEvent(c, { kind: 'resolved' }, at, signals, diagnose(c.kind, signals), now, early);
}
