import type { RetrainRules } from './rules/schema.ts';

/** Durable retrain state of one model (all versions: a retrain replaces the model). */
export interface PolicyState {
  /** Event time of the last trigger; null before the first. */
  lastTriggerMs: number | null;
  /** Event time of the first window seen: the age of a model never retrained counts from here. */
  firstSeenMs: number | null;
  /** UTC day (epoch days) of `dayCount`. */
  day: number;
  dayCount: number;
  /** Labeled samples in the windows evaluated since the last trigger. */
  labeledSince: number;
  /** Triggers held back, ever, and since the last trigger went out. */
  heldBack: number;
  heldBackSince: number;
}

export const NEW_POLICY: PolicyState = {
  lastTriggerMs: null,
  firstSeenMs: null,
  day: 0,
  dayCount: 0,
  labeledSince: 0,
  heldBack: 0,
  heldBackSince: 0,
};

export type RetrainReason =
  'critical_performance_drop' | 'critical_feature_drift' | 'new_labeled_samples' | 'max_age';

/** What the window brought that the policy weighs. */
export interface PolicyInput {
  nowMs: number;
  /** Labeled samples of this window (performance windows), 0 otherwise. */
  labeled: number;
  criticalPerformance: boolean;
  criticalFeatureDrift: boolean;
}

export type PolicyDecision =
  | { action: 'none' }
  | { action: 'trigger'; reasons: RetrainReason[]; heldBackBefore: number }
  | { action: 'held_back'; reasons: RetrainReason[]; why: 'min_interval' | 'daily_cap' };

const DAY_MS = 86_400_000;

function reasonsFor(s: PolicyState, input: PolicyInput, rules: RetrainRules): RetrainReason[] {
  const reasons: RetrainReason[] = [];
  if (rules.on_critical_performance && input.criticalPerformance) reasons.push('critical_performance_drop');
  if (rules.on_critical_feature_drift && input.criticalFeatureDrift) reasons.push('critical_feature_drift');
  if (rules.new_labeled_samples > 0 && s.labeledSince >= rules.new_labeled_samples) {
    reasons.push('new_labeled_samples');
  }
  const since = s.lastTriggerMs ?? s.firstSeenMs ?? input.nowMs;
  if (rules.max_age > 0 && input.nowMs - since >= rules.max_age) reasons.push('max_age');
  return reasons;
}

/**
 * Decides whether a window calls for a retrain, and whether the policy lets it out: reasons are levels (a
 * critical drop that stays open keeps asking), held back by the minimum interval and the daily cap, both on
 * event time so a replay decides the same. Pure.
 * @example decide(NEW_POLICY, {nowMs: 0, labeled: 0, criticalPerformance: true, criticalFeatureDrift: false}, rules)[1] // {action:'trigger', reasons:['critical_performance_drop'], heldBackBefore: 0}
 */
export function decide(
  state: PolicyState,
  input: PolicyInput,
  rules: RetrainRules,
): [PolicyState, PolicyDecision] {
  const day = Math.floor(input.nowMs / DAY_MS);
  const s: PolicyState = {
    ...state,
    firstSeenMs: state.firstSeenMs ?? input.nowMs,
    day,
    dayCount: day === state.day ? state.dayCount : 0,
    labeledSince: state.labeledSince + input.labeled,
  };
  const reasons = reasonsFor(s, input, rules);
  if (reasons.length === 0) return [s, { action: 'none' }];
  const tooSoon = s.lastTriggerMs !== null && input.nowMs - s.lastTriggerMs < rules.min_interval;
  const capped = s.dayCount >= rules.daily_cap;
  if (tooSoon || capped) {
    const held = { ...s, heldBack: s.heldBack + 1, heldBackSince: s.heldBackSince + 1 };
    return [held, { action: 'held_back', reasons, why: tooSoon ? 'min_interval' : 'daily_cap' }];
  }
  const fired = {
    ...s,
    lastTriggerMs: input.nowMs,
    dayCount: s.dayCount + 1,
    labeledSince: 0,
    heldBackSince: 0,
  };
  return [fired, { action: 'trigger', reasons, heldBackBefore: s.heldBackSince }];
}
