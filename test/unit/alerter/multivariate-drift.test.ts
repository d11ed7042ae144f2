import { describe, expect, it } from 'vitest';
import { addRow, emptyWindow, type DriftRow } from '../../../services/alerter/src/drift-inputs.ts';
import { driftConditions } from '../../../services/alerter/src/drift-conditions.ts';
import { evaluate } from '../../../services/alerter/src/evaluate.ts';
import type { ModelRules } from '../../../services/alerter/src/rules/schema.ts';
import { newModelState } from '../../../services/alerter/src/state.ts';
import type { DriftWindow, JointDriftResult } from '../../../services/alerter/src/window.ts';
import { driftWindow, rulesWith } from './helpers.ts';

const CONTRIBUTORS = [
  { feature: 'x1', share: 0.31, rise: 0.9 },
  { feature: 'x0', share: 0.44, rise: 1.2 },
  { feature: 'x5', share: 0.02, rise: 0.01 },
];

function multivariate(drifted: boolean): JointDriftResult {
  const statistic = drifted ? 1.62 : 1.21;
  return {
    feature: '__multivariate__',
    method: 'reconstruction_error',
    statistic,
    pValue: null,
    threshold: 1.4,
    drifted,
    contributors: drifted ? CONTRIBUTORS : [],
  };
}

function embedding(name: string, drifted: boolean): JointDriftResult {
  const statistic = drifted ? 0.09 : 0.02;
  return {
    feature: `__embedding__:${name}`,
    method: 'mmd',
    statistic,
    pValue: null,
    threshold: 0.05,
    drifted,
    contributors: [],
  };
}

function alertsOf(windows: DriftWindow[], rules: ModelRules) {
  let state = newModelState('m');
  return windows.flatMap((w) => {
    const e = evaluate(state, w, rules, 0);
    state = e.state;
    return e.alerts;
  });
}

const rules = rulesWith();

describe('multivariate and embedding drift alerts', () => {
  it('shouldFireOnADriftedMultivariateRowNamingItsContributors', () => {
    const alerts = alertsOf([driftWindow(0, [], { joint: [multivariate(true)] })], rules);
    expect(alerts.map((a) => [a.kind, a.metric, a.status, a.severity])).toEqual([
      ['DATA_DRIFT', 'multivariate', 'FIRING', 'WARNING'],
    ]);
    const [statistic, ...features] = alerts[0]!.evidence;
    expect(statistic).toMatchObject({ subject: 'multivariate', method: 'reconstruction_error', score: 1.62 });
    expect(statistic!.threshold).toBe(1.4);
    expect(features.map((f) => [f.subject, f.subject_type, f.score])).toEqual([
      ['x0', 'feature', 0.44],
      ['x1', 'feature', 0.31],
      ['x5', 'feature', 0.02],
    ]);
  });

  it('shouldStaySilentWhenTheMultivariateAndEmbeddingRowsAreNotDrifted', () => {
    const quiet = (i: number) =>
      driftWindow(i, [], { joint: [multivariate(false), embedding('query', false)] });
    expect(alertsOf([quiet(0), quiet(1), quiet(2)], rules)).toEqual([]);
  });

  it('shouldFireOnAnEmbeddingAtTheConfiguredSeverityAfterItsWindows', () => {
    const critical = rulesWith({
      DRIFTLINE_ALERT__DEFAULTS__RULES__MULTIVARIATE_DRIFT__EMBEDDINGS__SEVERITY: 'CRITICAL',
    });
    const shifted = (i: number) => driftWindow(i, [], { joint: [embedding('query', true)] });
    expect(alertsOf([shifted(0)], critical)).toEqual([]);
    const alerts = alertsOf([shifted(0), shifted(1)], critical);
    expect(alerts.map((a) => [a.metric, a.status, a.severity])).toEqual([
      ['embedding:query', 'FIRING', 'CRITICAL'],
    ]);
    expect(alerts[0]!.evidence).toHaveLength(1);
    expect(alerts[0]!.evidence[0]).toMatchObject({
      subject: 'embedding:query',
      method: 'mmd',
      score: 0.09,
      threshold: 0.05,
    });
  });

  it('shouldStaySilentWhenTheRuleIsDisabled', () => {
    const off = rulesWith({
      DRIFTLINE_ALERT__DEFAULTS__RULES__MULTIVARIATE_DRIFT__RECONSTRUCTION__ENABLED: 'false',
    });
    expect(alertsOf([driftWindow(0, [], { joint: [multivariate(true)] })], off)).toEqual([]);
  });

  it('shouldLeaveTheDatasetShareAndTheFeatureCorrectionUnchanged', () => {
    const plain = driftWindow(0, ['age']);
    const joint = driftWindow(0, ['age'], { joint: [multivariate(true), embedding('query', true)] });
    const without = driftConditions(plain, rules, null);
    const withJoint = driftConditions(joint, rules, null);
    const share = (cs: typeof without) => cs.find((c) => c.metric === 'share_drifted');
    expect(share(withJoint)).toEqual(share(without));
    const features = (cs: typeof without) => cs.filter((c) => c.metric.startsWith('feature:'));
    expect(features(withJoint)).toEqual(features(without));
    expect(withJoint.map((c) => c.metric).filter((m) => !without.some((c) => c.metric === m))).toEqual([
      'multivariate',
      'embedding:query',
    ]);
  });

  it('shouldReadMultivariateAndEmbeddingRowsApartFromTheFeatures', () => {
    const row = (feature: string, method: string, extra: Partial<DriftRow> = {}): DriftRow => ({
      model_id: 'm',
      model_version: '1',
      start_s: 0,
      end_s: 3600,
      feature,
      method,
      statistic: 0.5,
      p_value: null,
      threshold: 0.4,
      drifted: 1,
      decisive: 1,
      sample_count: 500,
      detail: '{}',
      ...extra,
    });
    const rows = [
      row('__dataset__', 'share_drifted', { statistic: 0.25 }),
      row('age', 'ks', { p_value: 0.001, threshold: 0.05 }),
      row('__multivariate__', 'reconstruction_error', {
        detail: JSON.stringify({ contributors: CONTRIBUTORS }),
      }),
      row('__embedding__:query', 'mmd'),
      row('__embedding__:query', 'mean_cosine', { decisive: 0 }),
    ];
    const w = emptyWindow(rows[0]!);
    for (const r of rows) addRow(w, r);
    expect(w.share).toBe(0.25);
    expect(w.features.map((f) => f.feature)).toEqual(['age']);
    expect(w.joint!.map((j) => [j.feature, j.method, j.drifted])).toEqual([
      ['__multivariate__', 'reconstruction_error', true],
      ['__embedding__:query', 'mmd', true],
    ]);
    expect(w.joint![0]!.contributors).toEqual(CONTRIBUTORS);
  });
});
