import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateWindowsFromRows } from '../../../services/alerter/src/estimate-inputs.ts';
import { evaluate } from '../../../services/alerter/src/evaluate.ts';
import { parseRules } from '../../../services/alerter/src/rules/load.ts';
import { newModelState, type ModelState } from '../../../services/alerter/src/state.ts';
import type { PerformanceWindow } from '../../../services/alerter/src/window.ts';

const rules = parseRules(
  readFileSync(path.join(import.meta.dirname, '../../../infra/alerting/rules.json'), 'utf8'),
  'rules.json',
).defaults;

const baseline = {
  model_id: 'churn',
  model_version: 'v1',
  metric: 'accuracy',
  b_value: 0.85,
  b_count: '2000',
  b_sd: null,
  b_source: 'first 2000 labeled predictions',
};

function estimated(accuracy: number, own = false): PerformanceWindow {
  const [w] = estimateWindowsFromRows(
    [
      {
        model_id: 'churn',
        model_version: 'v1',
        window_start_ms: '600000',
        window_end_ms: '900000',
        metric: 'accuracy',
        estimate: accuracy,
        std_error: 0.014,
        figure_count: 1000,
        sample_count: '1000',
        ...(own ? { baseline: 0.85, baseline_count: '2000', baseline_source: 'calibration data' } : {}),
      },
    ],
    own ? [] : [baseline],
  );
  return w!;
}

function realized(accuracy: number): PerformanceWindow {
  return {
    source: 'performance',
    modelId: 'churn',
    modelVersion: 'v1',
    startMs: 600_000,
    endMs: 900_000,
    sampleCount: 1000,
    final: true,
    metrics: { accuracy: { value: accuracy, baseline: 0.85, count: 1000, baselineCount: 2000 } },
  };
}

function run(windows: PerformanceWindow[]) {
  let state: ModelState = newModelState('churn');
  const alerts = windows.flatMap((w) => {
    const e = evaluate(state, w, rules, 1);
    state = e.state;
    return e.alerts;
  });
  return alerts;
}

describe('alerts on estimated drops', () => {
  it('shouldFireAProvisionalEstimatedAlertWhenTheEstimatedAccuracyDropsBeforeAnyLabel', () => {
    const w = estimated(0.7);
    expect(w).toMatchObject({ estimated: true, final: false, sampleCount: 1000 });
    const [alert, ...rest] = run([w]);
    expect(rest).toHaveLength(0);
    expect(alert).toMatchObject({
      kind: 'PERFORMANCE',
      metric: 'accuracy_drop_pct',
      status: 'FIRING',
      provisional: true,
    });
    expect(alert!.message).toMatch(/^PROVISIONAL ESTIMATED /);
    expect(
      alert!.evidence.some((e) => e.method === 'estimated_before_labels' && e.sample_count === 1000),
    ).toBe(true);
  });

  it("shouldJudgeAgainstTheEstimator'sOwnBaselineWhenThePerformanceMonitorHasNone", () => {
    const [alert] = run([estimated(0.7, true)]);
    expect(alert).toMatchObject({ status: 'FIRING', provisional: true });
    expect(alert!.evidence[0]).toMatchObject({ baseline: 0.85, baseline_count: 2000 });
  });

  it('shouldConfirmTheEstimatedAlertWhenTheRealizedFigureAgrees', () => {
    const alerts = run([estimated(0.7), realized(0.71)]);
    expect(alerts.map((a) => [a.status, a.provisional])).toEqual([
      ['FIRING', true],
      ['FIRING', false],
    ]);
    expect(alerts[1]!.message).toContain(`confirms provisional alert ${alerts[0]!.alert_id}`);
  });

  it('shouldWithdrawTheEstimatedAlertWhenTheRealizedFigureHolds', () => {
    const alerts = run([estimated(0.7), realized(0.85)]);
    expect(alerts.map((a) => a.status)).toEqual(['FIRING', 'RESOLVED']);
    expect(alerts[1]!.message).toMatch(/^WITHDRAWN provisional /);
  });

  it('shouldStayQuietWhenTheEstimateIsWithinNoiseOfTheBaseline', () => {
    expect(run([estimated(0.84)])).toHaveLength(0);
  });
});
