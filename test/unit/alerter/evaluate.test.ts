import { describe, expect, it } from 'vitest';
import { evaluate, type Evaluation } from '../../../services/alerter/src/evaluate.ts';
import type { ModelRules } from '../../../services/alerter/src/rules/schema.ts';
import {
  decodeState,
  encodeState,
  newModelState,
  type ModelState,
} from '../../../services/alerter/src/state.ts';
import type { ResultWindow } from '../../../services/alerter/src/window.ts';
import { driftWindow, HOUR, perfWindow, rulesWith, T0 } from './helpers.ts';

function replay(windows: ResultWindow[], rules: ModelRules, from: ModelState = newModelState('m')) {
  let state = from;
  const out: Evaluation[] = [];
  for (const w of windows) {
    const e = evaluate(state, w, rules, 0);
    state = e.state;
    out.push(e);
  }
  return { state, alerts: out.flatMap((e) => e.alerts), triggers: out.flatMap((e) => e.triggers), out };
}

// The dataset-share rule alone (per-feature alerts are tested in verdicts.test.ts).
const rules = rulesWith({
  DRIFTLINE_ALERT__DEFAULTS__RULES__DATA_DRIFT__SHARE__CRITICAL_FEATURES: '["income"]',
  DRIFTLINE_ALERT__DEFAULTS__RULES__FEATURE_DRIFT__PER_FEATURE__ENABLED: 'false',
});

describe('window evaluation', () => {
  it('shouldRaiseOneDataDriftAlertNamingTheFeatureAndResolveItOnce', () => {
    const windows = [
      driftWindow(0, []),
      driftWindow(1, ['age', 'country']),
      driftWindow(2, ['age', 'country']),
      driftWindow(3, ['age', 'country']),
      driftWindow(4, []),
      driftWindow(5, []),
      driftWindow(6, []),
    ];
    const { alerts } = replay(windows, rules);
    expect(alerts.map((a) => [a.kind, a.status, a.severity, a.window_start])).toEqual([
      ['DATA_DRIFT', 'FIRING', 'CRITICAL', windows[2]!.startMs],
      ['DATA_DRIFT', 'RESOLVED', 'INFO', windows[5]!.startMs],
    ]);
    const firing = alerts[0]!;
    expect(firing.evidence.filter((e) => e.subject_type === 'feature').map((e) => e.subject)).toEqual([
      'age',
      'country',
    ]);
    expect(firing.diagnosis).toBe('data_drift');
    expect(firing.message).toMatch(/data drift in age, country/);
  });

  it('shouldRaiseACriticalPerformanceAlertAndOneTriggerThenHoldBackTheRest', () => {
    const windows = [0.9, 0.8, 0.8, 0.8, 0.8].map((acc, i) => perfWindow(i, acc));
    const { alerts, triggers, out, state } = replay(windows, rules);
    expect(alerts.map((a) => [a.kind, a.status, a.severity, a.metric])).toEqual([
      ['PERFORMANCE', 'FIRING', 'CRITICAL', 'accuracy_drop_pct'],
    ]);
    expect(alerts[0]!.evidence.find((e) => e.subject_type === 'class')).toMatchObject({ subject: 'cat' });
    expect(triggers).toHaveLength(1);
    expect(triggers[0]!).toMatchObject({
      reasons: ['critical_performance_drop'],
      alert_ids: [alerts[0]!.alert_id],
    });
    expect(out.map((e) => e.decision.action)).toEqual(['none', 'none', 'trigger', 'held_back', 'held_back']);
    expect(state.policy.heldBack).toBe(2);
  });

  it('shouldTriggerOnDriftOfACriticalFeature', () => {
    const { triggers, alerts } = replay([driftWindow(0, ['income']), driftWindow(1, ['income'])], rules);
    expect(triggers).toHaveLength(1);
    expect(triggers[0]!.reasons).toEqual(['critical_feature_drift']);
    expect(triggers[0]!.alert_ids).toEqual([alerts[0]!.alert_id]);
    expect(triggers[0]!.evidence[0]).toMatchObject({ subject: 'income', subject_type: 'feature' });
  });

  it('shouldEvaluateEachWindowOnceWhateverIsReplayed', () => {
    const windows = [driftWindow(0, ['age', 'country']), driftWindow(1, ['age', 'country'])];
    const first = replay(windows, rules);
    const again = replay(windows, rules, first.state);
    expect(first.alerts).toHaveLength(1);
    expect(again.alerts).toEqual([]);
    expect(again.out.every((e) => !e.evaluated)).toBe(true);
  });

  it('shouldGiveTheSameEventsWhenStateIsStoredAndRestoredBetweenWindows', () => {
    const windows = [0.9, 0.8, 0.8, 0.85, 0.9, 0.9].map((acc, i) => perfWindow(i, acc));
    const straight = replay(windows, rules);
    let state = newModelState('m');
    const pieces = windows.map((w) => {
      const e = evaluate(decodeState(encodeState(state)), w, rules, 0);
      state = e.state;
      return e;
    });
    expect(pieces.flatMap((e) => e.alerts)).toEqual(straight.alerts);
    expect(straight.alerts.map((a) => a.status)).toEqual(['FIRING', 'RESOLVED']);
  });

  it('shouldAlertOnLatencyDeadLettersConceptAndPredictionDrift', () => {
    const dl = (dead: number, input: number) => ({ deadLetter: { dead, input } });
    const prediction = {
      feature: '__prediction__',
      method: 'chi2',
      statistic: 50,
      pValue: 0.0001,
      threshold: 0.05,
      drifted: true,
    };
    const extra = (i: number) => ({
      latency: { '95': 1500 },
      detections: [
        { detector: 'adwin', meanError: 0.4, count: 300, atMs: T0 + i * HOUR + 10, offset: 100 * i },
      ],
      prediction,
    });
    const { alerts } = replay(
      [
        driftWindow(0, [], { ...extra(0), ...dl(0, 0) }),
        driftWindow(1, [], { ...extra(1), ...dl(50, 1000) }),
        driftWindow(2, [], { ...extra(2), ...dl(100, 2000) }),
      ],
      rules,
    );
    expect(alerts.map((a) => `${a.kind}:${a.metric}:${a.severity}`).sort()).toEqual([
      'CONCEPT_DRIFT:error_stream:WARNING',
      'DATA_QUALITY:dead_letter_rate:CRITICAL',
      'LATENCY:latency_p95:CRITICAL',
      'PREDICTION_DRIFT:__prediction__:chi2:WARNING',
    ]);
    expect(alerts.every((a) => a.diagnosis === 'operational')).toBe(true);
  });

  it('shouldCountALateDetectionOnceInTheNextWindowWhenItsHourWasAlreadyEvaluated', () => {
    const late = { detector: 'ddm', meanError: 0.3, count: 80, atMs: T0 + 10, offset: 7 };
    const early = { ...late, detector: 'adwin', offset: 5 };
    const once = rulesWith({ DRIFTLINE_ALERT__DEFAULTS__RULES__CONCEPT_DRIFT__DETECTORS__FOR_WINDOWS: '1' });
    const { alerts, state } = replay(
      [
        driftWindow(0, [], { detections: [early] }),
        // The ddm detection of hour 0 arrived after hour 0 was evaluated: the reader lists it with hour 1.
        driftWindow(1, [], { detections: [early, late] }),
        driftWindow(2, [], { detections: [early, late] }),
      ],
      once,
    );
    const concept = alerts.filter((a) => a.kind === 'CONCEPT_DRIFT');
    expect(concept.map((a) => [a.status, a.window_start, a.evidence[0]?.subject])).toEqual([
      ['FIRING', T0, 'adwin'],
    ]);
    expect(state.alerts['1|CONCEPT_DRIFT|error_stream']).toMatchObject({ phase: 'resolving' });
    expect(state.cursors['1|detections']).toBe(7);
  });

  it('shouldNameDriftedFeaturesInAPerformanceAlertOfTheSameHour', () => {
    const windows: ResultWindow[] = [];
    for (let i = 0; i < 3; i++) windows.push(driftWindow(i, ['age']), perfWindow(i, 0.8));
    const { alerts } = replay(windows, rules);
    const perf = alerts.find((a) => a.kind === 'PERFORMANCE')!;
    expect(perf.evidence.map((e) => e.subject)).toContain('age');
    expect(perf.diagnosis).toBe('data_drift');
    expect(perf.window_end - perf.window_start).toBe(HOUR);
  });
});
