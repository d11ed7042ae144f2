import { describe, expect, it } from 'vitest';
import { evaluate, type Evaluation } from '../../../services/alerter/src/evaluate.ts';
import type { ModelRules } from '../../../services/alerter/src/rules/schema.ts';
import { expireStale } from '../../../services/alerter/src/stale.ts';
import { newModelState, type ModelState } from '../../../services/alerter/src/state.ts';
import type { Alert } from '../../../services/core/src/records/records.generated.ts';
import type { MetricFigure, ResultWindow } from '../../../services/alerter/src/window.ts';
import { driftWindow, feature, perfWindow, rulesWith } from './helpers.ts';

function replay(windows: ResultWindow[], rules: ModelRules, from: ModelState = newModelState('m')) {
  let state = from;
  const out: Evaluation[] = [];
  for (const w of windows) {
    const e = evaluate(state, w, rules, 0);
    state = e.state;
    out.push(e);
  }
  return { state, alerts: out.flatMap((e) => e.alerts), triggers: out.flatMap((e) => e.triggers) };
}

const SOURCE = 'first 2000 labeled predictions (2026-02-01T00:00Z – 2026-02-01T02:00Z)';

/** An accuracy figure of `n` labeled predictions against a baseline of 0.89 over 2,000. */
const accuracy = (value: number, n: number): MetricFigure => ({
  value,
  baseline: 0.89,
  count: n,
  baselineCount: 2000,
});

function window(i: number, value: number, n: number, final = true) {
  return perfWindow(i, value, {
    sampleCount: n,
    metrics: { accuracy: accuracy(value, n) },
    final,
    baselineSource: SOURCE,
  });
}

const rules = rulesWith();
const perfAlerts = (alerts: { kind: string; status: string }[]) =>
  alerts.filter((a) => a.kind === 'PERFORMANCE');

describe('sample-size-aware performance rules', () => {
  it('shouldStayQuietWhenALargeDropIsNotSignificantForTheSampleSize', () => {
    // 0.89 → 0.85 is 4.5 %, above the 2 % warning, but over 100 labels p ≈ 0.08.
    expect(replay([window(0, 0.85, 100), window(1, 0.85, 100)], rules).alerts).toEqual([]);
  });

  it('shouldFireWhenTheSameDropIsSignificantOverEnoughLabels', () => {
    const { alerts } = replay([window(0, 0.85, 2000)], rules);
    expect(alerts.map((a) => [a.kind, a.status, a.severity, a.provisional])).toEqual([
      ['PERFORMANCE', 'FIRING', 'WARNING', false],
    ]);
    const test = alerts[0]!.evidence[0]!;
    expect(test).toMatchObject({
      subject: 'accuracy',
      method: 'drop_pct_vs_baseline',
      test: 'two_proportion_z',
      baseline: 0.89,
      baseline_count: 2000,
      sample_count: 2000,
      baseline_source: SOURCE,
    });
    expect(test.p_value!).toBeLessThan(0.001);
    // The interval of window − baseline lies below zero, around −0.04.
    expect(test.interval_high!).toBeLessThan(0);
    expect(test.interval_low!).toBeLessThan(-0.04);
    expect(alerts[0]!.message).toContain(
      `accuracy 0.85 over 2000 vs baseline 0.89 over 2000 (${SOURCE}); two_proportion_z one-sided p=`,
    );
  });

  it('shouldTestTheFallOfEachClassRecallInTheEvidence', () => {
    const w = window(0, 0.8, 2000);
    w.metrics['recall:cat'] = { value: 0.6, baseline: 0.9, count: 800, baselineCount: 1000 };
    w.metrics['recall:dog'] = { value: 0.88, baseline: 0.9, count: 40, baselineCount: 1000 };
    const classes = replay([w], rules).alerts[0]!.evidence.filter((e) => e.subject_type === 'class');
    expect(classes.map((e) => [e.subject, e.test, e.sample_count])).toEqual([
      ['cat', 'two_proportion_z', 800],
      ['dog', 'two_proportion_z', 40],
    ]);
    expect(classes[0]!.p_value!).toBeLessThan(1e-10);
    expect(classes[1]!.p_value!).toBeGreaterThan(0.2);
  });

  it('shouldWeighARocAucFallWithItsStandardErrors', () => {
    const auc = rulesWith({
      DRIFTLINE_ALERT__DEFAULTS__RULES__PERFORMANCE__AUC_DROP:
        '{"type":"drop","metric":"roc_auc","warning_pct":2,"critical_pct":5,"for_windows":1}',
    });
    // sd = standard error × √count: 0.009 over 2,000 in the baseline, 0.02 over 1,000 in the window.
    const figure = (value: number, n: number) =>
      perfWindow(0, 0.9, {
        sampleCount: n,
        metrics: {
          roc_auc: {
            value,
            baseline: 0.85,
            count: n,
            sd: 0.02 * Math.sqrt(n),
            baselineCount: 2000,
            baselineSd: 0.009 * Math.sqrt(2000),
          },
        },
      });
    expect(replay([figure(0.82, 1000)], auc).alerts).toEqual([]); // 3.5 % but z ≈ −1.4
    const { alerts } = replay([figure(0.7, 1000)], auc);
    expect(alerts.map((a) => [a.metric, a.severity])).toEqual([['roc_auc_drop_pct', 'CRITICAL']]);
    expect(alerts[0]!.evidence[0]).toMatchObject({ test: 'hanley_mcneil_z', baseline_count: 2000 });
  });

  it('shouldCompareOnlyPointValuesWhenTheRuleSaysTestNone', () => {
    const none = rulesWith({ DRIFTLINE_ALERT__DEFAULTS__RULES__PERFORMANCE__ACCURACY_DROP__TEST: 'none' });
    expect(perfAlerts(replay([window(0, 0.85, 100)], none).alerts)).toHaveLength(1);
  });

  it('shouldFireAnObjectiveOnlyWhenTheUpperBoundLiesBelowIt', () => {
    // Two windows each: the objective rule keeps the default lifecycle (for_windows 2).
    const objective = (value: number, n: number) =>
      [0, 1].map((i) =>
        perfWindow(i, value, { sampleCount: n, metrics: { accuracy: { value, baseline: null, count: n } } }),
      );
    expect(replay(objective(0.66, 100), rules).alerts).toEqual([]);
    const { alerts } = replay(objective(0.62, 5000), rules);
    expect(alerts.map((a) => [a.metric, a.severity])).toEqual([['accuracy', 'WARNING']]);
    expect(alerts[0]!.evidence[0]).toMatchObject({ test: 'wilson_bound', sample_count: 5000 });
    expect(alerts[0]!.evidence[0]!.interval_high!).toBeLessThan(0.7);
  });

  it('shouldWeighAMeanErrorRiseWithWelch', () => {
    const mae = (value: number, sd: number, n: number) =>
      perfWindow(0, 0, {
        sampleCount: n,
        metrics: { mae: { value, baseline: 1, count: n, sd, baselineCount: 2000, baselineSd: 0.8 } },
      });
    expect(replay([mae(1.3, 3, 50)], rules).alerts).toEqual([]);
    const { alerts } = replay([mae(1.3, 0.9, 1000)], rules);
    expect(alerts.map((a) => [a.metric, a.severity])).toEqual([['mae_drop_pct', 'CRITICAL']]);
    expect(alerts[0]!.evidence[0]).toMatchObject({ test: 'welch_t', baseline_count: 2000 });
  });
});

describe('provisional verdicts', () => {
  it('shouldAlertProvisionallyOnAnOpenWindowThenConfirmWhenFinal', () => {
    const { alerts, state } = replay(
      [window(0, 0.64, 300, false), window(0, 0.65, 900, false), window(0, 0.65, 1000)],
      rules,
    );
    expect(alerts.map((a) => [a.status, a.severity, a.provisional])).toEqual([
      ['FIRING', 'CRITICAL', true],
      ['FIRING', 'CRITICAL', false],
    ]);
    expect(alerts[0]!.message).toMatch(/^PROVISIONAL CRITICAL PERFORMANCE accuracy_drop_pct/);
    expect(alerts[1]!.message).toContain(`confirms provisional alert ${alerts[0]!.alert_id}`);
    expect(alerts[1]!.alert_id).not.toBe(alerts[0]!.alert_id);
    expect(state.provisional).toEqual({});
  });

  it('shouldWithdrawAProvisionalAlertWithAReasonWhenTheFinalWindowDoesNotUpholdIt', () => {
    const { alerts, state } = replay([window(0, 0.8, 300, false), window(0, 0.885, 2000)], rules);
    expect(alerts.map((a) => [a.status, a.severity, a.provisional])).toEqual([
      ['FIRING', 'CRITICAL', true],
      ['RESOLVED', 'INFO', false],
    ]);
    expect(alerts[1]!.message).toMatch(/^WITHDRAWN provisional PERFORMANCE accuracy_drop_pct/);
    expect(alerts[1]!.message).toMatch(/no longer a breach/);
    expect(state.alerts).toEqual({});
  });

  it('shouldAskOpenWindowsForStrongerEvidenceThanFinalOnes', () => {
    // p ≈ 0.0005: significant at the rule's 0.001, not at the provisional 0.0001.
    const { alerts } = replay([window(0, 0.855, 2000, false), window(0, 0.855, 2000)], rules);
    expect(alerts.map((a) => [a.status, a.provisional])).toEqual([['FIRING', false]]);
  });

  it('shouldWaitForEnoughLabelsBeforeJudgingAnOpenWindow', () => {
    expect(replay([window(0, 0.5, 150, false)], rules).alerts).toEqual([]);
  });

  it('shouldNeverTriggerARetrainFromAProvisionalOrASingleWindow', () => {
    const early = replay([window(0, 0.6, 500, false), window(0, 0.6, 1000)], rules);
    expect(early.triggers).toEqual([]);
    const confirmed = replay([window(1, 0.6, 1000), window(2, 0.6, 1000)], rules, early.state);
    expect(confirmed.triggers.map((t) => t.reasons)).toEqual([['critical_performance_drop']]);
  });
});

describe('per-feature drift alerts', () => {
  it('shouldRaiseADataDriftAlertNamingTheOneShiftedFeatureInItsFirstWindow', () => {
    const shifted = driftWindow(1, [], {
      features: ['age', 'income', 'country', 'tenure'].map((n) =>
        n === 'income' ? { ...feature(n, true, 0.2), pValue: 1e-12 } : feature(n, false),
      ),
      share: 0.25,
    });
    const { alerts } = replay([driftWindow(0, []), shifted], rules);
    expect(alerts.map((a) => [a.kind, a.metric, a.severity, a.window_start])).toEqual([
      ['DATA_DRIFT', 'feature:income', 'WARNING', shifted.startMs],
    ]);
    expect(alerts[0]!.evidence[0]).toMatchObject({ subject: 'income', test: 'ks', effect_size: 0.2 });
  });

  it('shouldRaiseItCriticalForALargeEffectOrACriticalFeature', () => {
    const large = driftWindow(0, [], {
      features: [{ ...feature('age', true, 0.5), pValue: 1e-30 }],
      share: 1,
    });
    const critical = rulesWith({
      DRIFTLINE_ALERT__DEFAULTS__RULES__FEATURE_DRIFT__PER_FEATURE__CRITICAL_FEATURES: '["tenure"]',
    });
    const tenure = driftWindow(0, [], {
      features: [{ ...feature('tenure', true, 0.1), pValue: 1e-9 }],
      share: 1,
    });
    const severity = (w: ResultWindow, r: ModelRules) =>
      replay([w], r).alerts.find((a) => a.metric.startsWith('feature:'))?.severity;
    expect(severity(large, rules)).toBe('CRITICAL');
    expect(severity(tenure, critical)).toBe('CRITICAL');
  });

  it('shouldStayQuietWhenAFlagIsNotSignificantAtTheRulesAlphaAfterTheCorrection', () => {
    // Flagged by the drift monitor at 0.05, but 0.0004 × 4 features > 0.001 after Benjamini-Hochberg.
    const weak = driftWindow(0, [], {
      features: [
        { ...feature('age', true, 0.1), pValue: 0.0004 },
        feature('income', false),
        feature('tenure', false),
        feature('country', false),
      ],
      share: 0.25,
    });
    expect(replay([weak], rules).alerts).toEqual([]);
  });
});

describe('provisional verdicts over several open windows', () => {
  const drops = (alerts: Alert[]) => alerts.filter((a) => a.metric === 'accuracy_drop_pct');

  it('shouldSendOneProvisionalAlertPerAlertWhileSeveralOpenWindowsBreach', () => {
    const rounds = [window(0, 0.6, 300, false), window(1, 0.6, 300, false)];
    const { alerts: all, state } = replay(
      [...rounds, ...rounds, window(0, 0.6, 1000), window(1, 0.6, 1000)],
      rules,
    );
    const alerts = drops(all);
    expect(alerts.map((a) => [a.window_start - rounds[0]!.startMs, a.status, a.provisional])).toEqual([
      [0, 'FIRING', true],
      [0, 'FIRING', false],
    ]);
    expect(state.provisional).toEqual({});
  });

  it('shouldConfirmAProvisionalAlertThatAnEarlierFinalWindowAlreadyOpened', () => {
    const windows = [window(1, 0.6, 300, false), window(0, 0.6, 1000), window(1, 0.6, 1000)];
    const alerts = drops(replay(windows, rules).alerts);
    expect(alerts.map((a) => [a.window_start - alerts[0]!.window_start, a.status, a.provisional])).toEqual([
      [0, 'FIRING', true],
      [-3_600_000, 'FIRING', false],
      [0, 'FIRING', false],
    ]);
    expect(alerts[2]!.message).toContain(`confirms provisional alert ${alerts[0]!.alert_id}`);
  });
});

describe('provisional verdicts of a version that stops', () => {
  it('shouldWithdrawAProvisionalAlertWhoseVersionStoppedBeforeItsWindowWasFinal', () => {
    const v2 = (i: number) => ({ ...window(i, 0.89, 1000), modelVersion: '2' });
    const windows = [window(0, 0.89, 1000), v2(0), window(1, 0.6, 500, false), ...[1, 2, 3].map(v2)];
    let state = newModelState('m');
    const alerts: Alert[] = [];
    for (const w of windows) {
      const e = evaluate(state, w, rules, 0);
      const expired = expireStale(e.state, 'performance', 2 * 3_600_000, 0);
      state = expired.state;
      alerts.push(...e.alerts, ...expired.alerts);
    }
    expect(alerts.map((a) => [a.model_version, a.status, a.provisional])).toEqual([
      ['1', 'FIRING', true],
      ['1', 'RESOLVED', false],
    ]);
    expect(alerts[1]!.message).toMatch(/^WITHDRAWN provisional .*its window never became final/);
    expect(state.provisional).toEqual({});
  });
});
