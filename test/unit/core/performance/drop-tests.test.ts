import { describe, expect, it } from 'vitest';
import {
  hanleyMcNeilSe,
  meanBounds,
  proportionBounds,
  proportionDropTest,
  standardErrorDropTest,
  welchRiseTest,
} from '../../../../services/core/src/performance/drop-tests.ts';
import {
  normalQuantile,
  studentTUpperQuantile,
} from '../../../../services/core/src/performance/quantiles.ts';
import { expectClose, loadFixture } from './helpers.ts';

interface VerdictFixture {
  proportions: {
    baseline: [number, number];
    window: [number, number];
    alpha: number;
    statistic: number;
    p_value: number;
    low: number;
    high: number;
    wilson_low: number;
    wilson_high: number;
  }[];
  means: {
    baseline: [number, number, number];
    window: [number, number, number];
    alpha: number;
    statistic: number;
    p_value: number;
    low: number;
    high: number;
    mean_low: number;
    mean_high: number;
  }[];
  aucs: { positives: number; negatives: number; auc: number; se: number; bootstrap_se: number }[];
  normal_quantiles: { p: number; x: number }[];
  t_upper_quantiles: { q: number; df: number; t: number }[];
}

const fixture = loadFixture<VerdictFixture>('verdict-tests.json');

describe('verdict tests against statsmodels and scipy', () => {
  it.each(fixture.proportions.map((c) => [`${c.window.join('/')} vs ${c.baseline.join('/')}`, c] as const))(
    'shouldMatchStatsmodelsProportionDropWhen %s',
    (_, c) => {
      const base = { successes: c.baseline[0], trials: c.baseline[1] };
      const win = { successes: c.window[0], trials: c.window[1] };
      const r = proportionDropTest(base, win, c.alpha);
      expectClose(r.statistic, c.statistic, 'z', 1e-9, 1e-12);
      expectClose(r.pValue, c.p_value, 'p', 1e-8, 1e-15);
      expectClose(r.low, c.low, 'low', 1e-9, 1e-12);
      expectClose(r.high, c.high, 'high', 1e-9, 1e-12);
      const [low, high] = proportionBounds(win, c.alpha);
      expectClose(low, c.wilson_low, 'wilson low', 1e-9, 1e-12);
      expectClose(high, c.wilson_high, 'wilson high', 1e-9, 1e-12);
    },
  );

  it.each(fixture.means.map((c) => [`${c.window.join('/')} vs ${c.baseline.join('/')}`, c] as const))(
    'shouldMatchScipyWelchRiseWhen %s',
    (_, c) => {
      const summary = ([mean, sd, count]: [number, number, number]) => ({ mean, variance: sd * sd, count });
      const r = welchRiseTest(summary(c.baseline), summary(c.window), c.alpha);
      expectClose(r.statistic, c.statistic, 't', 1e-9, 1e-12);
      expectClose(r.pValue, c.p_value, 'p', 1e-8, 1e-15);
      expectClose(r.low, c.low, 'low', 1e-9, 1e-12);
      expectClose(r.high, c.high, 'high', 1e-9, 1e-12);
      const [low, high] = meanBounds(summary(c.window), c.alpha);
      expectClose(low, c.mean_low, 'mean low', 1e-9, 1e-12);
      expectClose(high, c.mean_high, 'mean high', 1e-9, 1e-12);
    },
  );

  it.each(fixture.normal_quantiles.map((c) => [c.p, c] as const))('shouldMatchNormPpfWhen p=%s', (_, c) => {
    expectClose(normalQuantile(c.p), c.x, 'x', 1e-12, 1e-14);
  });

  it.each(fixture.t_upper_quantiles.map((c) => [c.q, c.df, c] as const))(
    'shouldMatchTIsfWhen q=%s df=%s',
    (_, __, c) => {
      expectClose(studentTUpperQuantile(c.q, c.df), c.t, 't', 1e-10, 1e-12);
    },
  );

  it.each(fixture.aucs.map((c) => [c.positives, c.negatives, c] as const))(
    'shouldMatchHanleyMcNeilAndStayNearTheBootstrapWhen %s positives %s negatives',
    (_, __, c) => {
      const se = hanleyMcNeilSe(c.auc, c.positives, c.negatives);
      expectClose(se, c.se, 'se', 1e-12, 0);
      // The formula is an approximation: within 15 % of sklearn's stratified bootstrap on binormal scores.
      expect(Math.abs(se - c.bootstrap_se) / c.bootstrap_se).toBeLessThan(0.15);
    },
  );

  it('shouldTestAFallOfAFigureWithKnownStandardErrors', () => {
    const r = standardErrorDropTest({ value: 0.8, se: 0.01 }, { value: 0.75, se: 0.02 }, 0.001);
    expect(r.test).toBe('hanley_mcneil_z');
    expectClose(r.statistic, -0.05 / Math.sqrt(0.0005), 'z', 1e-12, 0);
    expect(r.pValue).toBeLessThan(0.02);
    expect(r.high).toBeGreaterThan(0); // not significant at 0.001: the interval still holds 0
  });

  it('shouldCallNoFallSignificantWhenTheWindowEqualsTheBaseline', () => {
    const r = proportionDropTest({ successes: 890, trials: 1000 }, { successes: 890, trials: 1000 }, 0.001);
    expect(r.pValue).toBeCloseTo(0.5, 12);
    expect(r.low).toBeLessThan(0);
    expect(r.high).toBeGreaterThan(0);
  });
});
