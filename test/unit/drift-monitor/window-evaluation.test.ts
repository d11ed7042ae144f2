import { describe, expect, it } from 'vitest';
import { binnedKs } from '../../../services/core/src/stats/binned-ks.ts';
import type { NumericHistogram } from '../../../services/core/src/stats/numeric-histogram.ts';
import { sampleKs } from '../../../services/core/src/stats/sample-ks.ts';
import { chooseStatTest } from '../../../services/core/src/stats/registry.ts';
import { evaluateWindow } from '../../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../../services/drift-monitor/src/window-partials.ts';
import { events, profileOf, testConfig } from './helpers.ts';

const never = (): never => {
  throw new Error('x3 is numeric');
};
const profile = profileOf(events({ seed: 100, count: 20_000, features: 20 }));

function windowOf(seed: number, shift = 0, count = 1000): WindowPartial {
  const w = new WindowPartial(profile);
  events({ seed, count, features: 20, shift, shiftFeature: 3 }).forEach((e) => w.update(e));
  return w;
}

describe('evaluateWindow', () => {
  it('shouldRaiseNoDatasetDriftInTwentyStationaryWindowsWithTheCorrectionOn', () => {
    let falseFeatureFlags = 0;
    for (let s = 0; s < 20; s++) {
      const e = evaluateWindow(profile, windowOf(200 + s), testConfig({ correction: 'bonferroni' }));
      expect(e.dataset.drifted).toBe(false);
      expect(e.dataset.tested).toBe(21);
      falseFeatureFlags += e.dataset.driftedFeatures.length;
    }
    expect(falseFeatureFlags).toBeLessThanOrEqual(1);
  });

  it('shouldFlagTheShiftedFeatureByNameWhenOneFeatureMovesHalfAStandardDeviation', () => {
    const e = evaluateWindow(profile, windowOf(300, 0.5), testConfig());
    expect(e.dataset.driftedFeatures).toEqual(['x3']);
    expect(e.dataset.drifted).toBe(false);
    const x3 = e.columns.find((c) => c.name === 'x3')!;
    expect(x3.choice).toMatchObject({
      name: 'ks',
      automatic: true,
      reason: 'numeric, window n=1000 <= 1000',
    });
    expect(x3.rows.map((r) => r.method)).toEqual([
      'ks',
      'wasserstein',
      'wasserstein_raw',
      'psi',
      'jensen_shannon',
      'missing_rate',
    ]);
    expect(x3.rows.find((r) => r.method === 'wasserstein')!.statistic).toBeGreaterThan(0.4);
  });

  it('shouldComputeTheDecisiveKsFromTheRawValuesAsTheStatsLibraryDoes', () => {
    const w = windowOf(301, 0.2);
    const e = evaluateWindow(profile, w, testConfig({ correction: 'none' }));
    const i = profile.columns.findIndex((c) => c.name === 'x3');
    const column = profile.columns[i]!;
    // 20,000 reference values: a 10,000-point summary (sample-ks.ts), the window's 1,000 values whole.
    const expected = sampleKs(column.kind === 'numeric' ? column.sample! : never(), w.samples[i]!.values()!);
    const ks = e.columns[i]!.decisive!;
    expect(ks.basis).toBe('summary');
    expect(ks.statistic).toBe(expected.statistic);
    expect(ks.pValue).toBe(expected.pValue);
    expect(e.columns[i]!.adjustedP).toBe(expected.pValue);
  });

  it('shouldComputeTheBinnedKsFromTheMergedHistogramsWhenTheWindowKeptNoValues', () => {
    const w = new WindowPartial(profile, 0);
    events({ seed: 301, count: 1000, features: 20, shift: 0.2, shiftFeature: 3 }).forEach((x) => w.update(x));
    const e = evaluateWindow(profile, w, testConfig({ correction: 'none' }));
    const i = profile.columns.findIndex((c) => c.name === 'x3');
    const expected = binnedKs(
      profile.columns[i]!.reference as NumericHistogram,
      w.states[i] as NumericHistogram,
    );
    expect([e.columns[i]!.decisive!.statistic, e.columns[i]!.decisive!.pValue]).toEqual([
      expected.statistic,
      expected.pValue,
    ]);
  });

  it('shouldAdjustPValuesByTheFamilySizeWhenBonferroniIsOn', () => {
    const w = windowOf(302, 0.1);
    const none = evaluateWindow(profile, w, testConfig({ correction: 'none' }));
    const bonf = evaluateWindow(profile, w, testConfig({ correction: 'bonferroni' }));
    const m = 21; // 20 numeric features with ks, `plan` with chi2
    none.columns.forEach((c, i) => {
      if (c.role !== 'feature') return expect(bonf.columns[i]!.adjustedP).toBeNull();
      expect(bonf.columns[i]!.adjustedP).toBeCloseTo(Math.min(1, c.decisive!.pValue! * m), 12);
    });
  });

  it('shouldDeclareDatasetDriftWhenTheShareReachesTheThreshold', () => {
    const e = evaluateWindow(profile, windowOf(303, 0.5), testConfig({ driftShare: 1 / 21 }));
    expect(e.dataset.share).toBeCloseTo(1 / 21, 12);
    expect(e.dataset.drifted).toBe(true);
  });

  it('shouldUseTheConfiguredTestAndThresholdWhenAFeatureHasAnOverride', () => {
    const config = testConfig({
      featureTests: new Map([
        ['x3', { test: 'psi', threshold: 0.05 }],
        ['plan', { test: 'ks' }],
      ]),
    });
    const e = evaluateWindow(profile, windowOf(304, 0.5), config);
    const x3 = e.columns.find((c) => c.name === 'x3')!;
    expect(x3.choice).toMatchObject({ name: 'psi', automatic: false, threshold: 0.05 });
    expect(x3.decisive!.threshold).toBe(0.05);
    expect(x3.adjustedP).toBeNull();
    const plan = e.columns.find((c) => c.name === 'plan')!;
    expect(plan.choice!.name).toBe('chi2');
    expect(plan.choice!.reason).toContain('configured ks does not apply to categorical');
  });

  it('shouldDecideNothingForAFeatureWhenTheWindowHasNoValueOfIt', () => {
    const w = new WindowPartial(profile);
    w.update({ features: {}, prediction: { label: 'a' } });
    const e = evaluateWindow(profile, w, testConfig());
    const x0 = e.columns.find((c) => c.name === 'x0')!;
    expect(x0.decisive).toBeNull();
    expect(x0.rows.map((r) => r.method)).toEqual(['missing_rate']);
    expect(x0.rows[0]!.drifted).toBe(true);
    expect(e.dataset.tested).toBe(0);
    expect(e.dataset.drifted).toBe(false);
  });
});

describe('chooseStatTest', () => {
  const t = testConfig().thresholds;
  it.each([
    ['numeric', 1000, 'ks'],
    ['numeric', 1001, 'wasserstein'],
    ['categorical', 10, 'chi2'],
    ['categorical', 5000, 'jensen_shannon'],
  ] as const)('shouldChoose %s with window n %s as %s', (kind, n, name) => {
    expect(chooseStatTest(kind, n, undefined, t, 1000)).toMatchObject({
      name,
      automatic: true,
      threshold: t[name],
    });
  });
});
