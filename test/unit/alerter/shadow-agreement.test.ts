import { describe, expect, it } from 'vitest';
import { agreementConditions } from '../../../services/alerter/src/agreement-conditions.ts';
import { agreementWindowsFromRows } from '../../../services/alerter/src/agreement-inputs.ts';
import { evaluate } from '../../../services/alerter/src/evaluate.ts';
import { RulesError } from '../../../services/alerter/src/errors.ts';
import { sourceOf } from '../../../services/alerter/src/stale.ts';
import { newModelState, type ModelState } from '../../../services/alerter/src/state.ts';
import type { AgreementWindow } from '../../../services/alerter/src/window.ts';
import { HOUR, rulesWith, T0 } from './helpers.ts';

const rules = rulesWith();

/** Hour i of shadow v2 beside production v1: `agreements` of `requests` shared requests got the same label. */
function window(i: number, agreements: number, requests = 400): AgreementWindow {
  return {
    source: 'agreement',
    modelId: 'm',
    modelVersion: 'v2',
    startMs: T0 + i * HOUR,
    endMs: T0 + (i + 1) * HOUR,
    pairs: [{ champion: 'v1', requests, agreements }],
  };
}

function replay(windows: AgreementWindow[], state: ModelState = newModelState('m')) {
  const alerts = [];
  for (const w of windows) {
    const e = evaluate(state, w, rules, 0);
    state = e.state;
    alerts.push(...e.alerts);
  }
  return { alerts, state };
}

describe('shadow agreement rule', () => {
  it('shouldBreachCriticalWhenTheAgreementIsFarBelowTheObjectiveWithEnoughRequests', () => {
    // 120/200 = 0.6: its one-sided 99.9% Wilson upper bound (0.70) is below the critical 0.8.
    const [c] = agreementConditions(window(0, 120, 200), rules);
    expect(c).toMatchObject({
      kind: 'SHADOW_AGREEMENT',
      metric: 'agreement:v1',
      verdict: { level: 'breach', severity: 'CRITICAL' },
      value: 0.6,
      threshold: 0.8,
    });
    expect(c!.evidence[0]).toMatchObject({
      subject: 'agreement:v1',
      test: 'wilson_bound',
      sample_count: 200,
    });
    expect(c!.evidence[0]!.interval_high).toBeCloseTo(0.7, 1);
    expect(c!.detail).toMatch(/^120 of 200 shared requests got the same label from v1 \(agreement 0.6\)/);
  });

  it('shouldGiveNoVerdictWhenTooFewRequestsWereScoredByBoth', () => {
    // 30/60 = 0.5 would be critical, but 60 requests are under min_samples (100).
    const [c] = agreementConditions(window(0, 30, 60), rules);
    expect(c!.verdict).toEqual({ level: 'ok' });
  });

  it('shouldNotBreachWhenTheRateIsUnderTheObjectiveByChanceAlone', () => {
    // 186/200 = 0.93 < 0.95, but the upper bound (0.968) is not: sampling noise, no alert.
    const [c] = agreementConditions(window(0, 186, 200), rules);
    expect(c!.value).toBeCloseTo(0.93, 10);
    expect(c!.verdict.level).not.toBe('breach');
    expect(c!.evidence[0]!.interval_high).toBeGreaterThan(0.95);
  });

  it('shouldCompareThePointRateWhenTheTestIsOff', () => {
    const noTest = rulesWith({ DRIFTLINE_ALERT__DEFAULTS__RULES__SHADOW_AGREEMENT__AGREEMENT__TEST: 'none' });
    const [c] = agreementConditions(window(0, 186, 200), noTest);
    expect(c!.verdict).toEqual({ level: 'breach', severity: 'WARNING' });
  });

  it('shouldFireOnceAfterTwoBreachingHoursAndResolveWhenTheVersionsAgreeAgain', () => {
    const hours = [
      window(0, 398),
      window(1, 200),
      window(2, 200),
      window(3, 200),
      window(4, 399),
      window(5, 400),
    ];
    const { alerts, state } = replay(hours);
    expect(
      alerts.map((a) => [a.kind, a.status, a.severity, a.model_version, a.metric, a.window_start]),
    ).toEqual([
      ['SHADOW_AGREEMENT', 'FIRING', 'CRITICAL', 'v2', 'agreement:v1', hours[2]!.startMs],
      ['SHADOW_AGREEMENT', 'RESOLVED', 'INFO', 'v2', 'agreement:v1', hours[5]!.startMs],
    ]);
    expect(alerts[0]!.message).toMatch(
      /^CRITICAL SHADOW_AGREEMENT agreement:v1=0.5000 crossed 0.8000 on m v2 \(rule shadow_agreement.agreement, firing\)\. 200 of 400 shared requests got the same label from v1/,
    );
    expect(state.cursors['v2|agreement']).toBe(hours[5]!.endMs);
    // No retrain: a shadow disagreeing is no reason to retrain the model in production.
    expect(state.policy.lastTriggerMs).toBeNull();
  });

  it('shouldEvaluateEachHourOnceWhenReadAgain', () => {
    const { state } = replay([window(0, 200), window(1, 200)]);
    const again = evaluate(state, window(1, 200), rules, 0);
    expect(again.evaluated).toBe(false);
    expect(again.alerts).toEqual([]);
  });

  it('shouldExpireAgreementAlertsOnTheAgreementClock', () => {
    expect(sourceOf('SHADOW_AGREEMENT')).toBe('agreement');
  });

  it('shouldRejectACriticalObjectiveAboveTheWarningNamingTheSetting', () => {
    expect(() =>
      rulesWith({ DRIFTLINE_ALERT__DEFAULTS__RULES__SHADOW_AGREEMENT__AGREEMENT__CRITICAL: '0.99' }),
    ).toThrow(RulesError);
    expect(() =>
      rulesWith({ DRIFTLINE_ALERT__DEFAULTS__RULES__SHADOW_AGREEMENT__AGREEMENT__CRITICAL: '0.99' }),
    ).toThrow(/rule shadow_agreement.agreement: setting critical: must be at most warning/);
  });
});

describe('agreement windows from the shadow_agreement view', () => {
  it('shouldTakeTheNewerVersionInNaturalOrderAsTheShadowAndGroupItsPairs', () => {
    const windows = agreementWindowsFromRows([
      {
        model_id: 'm',
        version_a: 'v10',
        version_b: 'v9',
        start_ms: String(T0),
        requests: '50',
        agreements: '45',
      },
      { model_id: 'm', version_a: 'v10', version_b: 'v8', start_ms: T0, requests: 40, agreements: 40 },
      { model_id: 'm', version_a: 'v8', version_b: 'v9', start_ms: T0, requests: 30, agreements: 20 },
    ]);
    expect(windows).toEqual([
      {
        source: 'agreement',
        modelId: 'm',
        modelVersion: 'v10',
        startMs: T0,
        endMs: T0 + HOUR,
        pairs: [
          { champion: 'v8', requests: 40, agreements: 40 },
          { champion: 'v9', requests: 50, agreements: 45 },
        ],
      },
      {
        source: 'agreement',
        modelId: 'm',
        modelVersion: 'v9',
        startMs: T0,
        endMs: T0 + HOUR,
        pairs: [{ champion: 'v8', requests: 30, agreements: 20 }],
      },
    ]);
  });
});
