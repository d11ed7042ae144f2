import { describe, expect, it } from 'vitest';
import {
  decide,
  NEW_POLICY,
  type PolicyInput,
  type PolicyState,
} from '../../../services/alerter/src/retrain-policy.ts';
import type { RetrainRules } from '../../../services/alerter/src/rules/schema.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-02-01T00:00:00Z');
const rules: RetrainRules = {
  on_critical_performance: true,
  on_critical_feature_drift: true,
  new_labeled_samples: 0,
  max_age: 0,
  min_interval: 6 * HOUR,
  daily_cap: 2,
  confirm_windows: 1,
};
const critical = (nowMs: number, more: Partial<PolicyInput> = {}): PolicyInput => ({
  nowMs,
  labeled: 0,
  criticalPerformance: true,
  criticalFeatureDrift: false,
  ...more,
});

function series(inputs: PolicyInput[], r = rules) {
  let state: PolicyState = NEW_POLICY;
  return inputs.map((input) => {
    const [next, decision] = decide(state, input, r);
    state = next;
    return { decision, state };
  });
}

describe('retrain policy', () => {
  it('shouldTriggerOnACriticalPerformanceDrop', () => {
    const [first] = series([critical(T0)]);
    expect(first!.decision).toEqual({
      action: 'trigger',
      reasons: ['critical_performance_drop'],
      heldBackBefore: 0,
    });
  });

  it('shouldHoldBackAndCountTriggersInsideTheMinimumInterval', () => {
    const out = series([critical(T0), critical(T0 + HOUR), critical(T0 + 2 * HOUR), critical(T0 + 6 * HOUR)]);
    expect(out.map((o) => o.decision.action)).toEqual(['trigger', 'held_back', 'held_back', 'trigger']);
    expect(out[1]!.decision).toMatchObject({ why: 'min_interval' });
    expect(out[2]!.state.heldBack).toBe(2);
    expect(out[3]!.decision).toMatchObject({ heldBackBefore: 2 });
    expect(out[3]!.state).toMatchObject({ heldBack: 2, heldBackSince: 0 });
  });

  it('shouldHoldBackAtTheDailyCapAndStartAgainTheNextDay', () => {
    const r = { ...rules, min_interval: 0, daily_cap: 2 };
    const out = series([critical(T0), critical(T0 + HOUR), critical(T0 + 2 * HOUR), critical(T0 + DAY)], r);
    expect(out.map((o) => o.decision.action)).toEqual(['trigger', 'trigger', 'held_back', 'trigger']);
    expect(out[2]!.decision).toMatchObject({ why: 'daily_cap' });
  });

  it('shouldTriggerWhenEnoughNewLabeledSamplesArrived', () => {
    const r = { ...rules, new_labeled_samples: 2500 };
    const quiet = (nowMs: number) => critical(nowMs, { criticalPerformance: false, labeled: 1000 });
    const out = series([quiet(T0), quiet(T0 + HOUR), quiet(T0 + 2 * HOUR), quiet(T0 + 3 * HOUR)], r);
    expect(out.map((o) => o.decision.action)).toEqual(['none', 'none', 'trigger', 'none']);
    expect(out[2]!.decision).toMatchObject({ reasons: ['new_labeled_samples'] });
    expect(out[3]!.state.labeledSince).toBe(1000);
  });

  it('shouldTriggerAtTheMaximumAgeCountedFromTheFirstWindow', () => {
    const r = { ...rules, max_age: 2 * DAY };
    const idle = (nowMs: number) => critical(nowMs, { criticalPerformance: false });
    const out = series([idle(T0), idle(T0 + DAY), idle(T0 + 2 * DAY), idle(T0 + 3 * DAY)], r);
    expect(out.map((o) => o.decision.action)).toEqual(['none', 'none', 'trigger', 'none']);
    expect(out[2]!.decision).toMatchObject({ reasons: ['max_age'] });
  });

  it('shouldIgnoreReasonsThatAreSwitchedOff', () => {
    const r = { ...rules, on_critical_performance: false };
    expect(series([critical(T0)], r)[0]!.decision).toEqual({ action: 'none' });
  });
});
