import { describe, expect, it } from 'vitest';
import { NUMERIC, drawWindow, type WindowTraffic } from '../../../bench/verdicts/traffic.ts';
import { scenarios, truthOf, TARGET, WINDOW_MS } from '../../../bench/verdicts/scenarios.ts';

const base: WindowTraffic = {
  modelId: 'churn',
  modelVersion: 'v1',
  startMs: 0,
  windowMs: WINDOW_MS,
  events: 20_000,
  errorRate: 0.12,
  changes: [],
  seed: 5,
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const column = (w: WindowTraffic, name: string) =>
  drawWindow(w).map((d) => d.inference.features[name] as number);
const errorRate = (w: WindowTraffic) => {
  const draws = drawWindow(w);
  return draws.filter((d) => d.joined.label !== d.joined.predicted_label).length / draws.length;
};

describe('verdict benchmark traffic', () => {
  it('shouldDrawTheSameEventsWhenTheWindowIsTheSame', () => {
    const small = { ...base, events: 50 };
    expect(drawWindow(small)).toEqual(drawWindow(small));
    expect(drawWindow({ ...small, seed: 6 })).not.toEqual(drawWindow(small));
  });

  it('shouldKeepEventsInsideTheirWindowInEventTimeOrder', () => {
    const ts = drawWindow({ ...base, startMs: WINDOW_MS, events: 1000 }).map((d) => d.inference.timestamp);
    expect(ts[0]).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(ts[ts.length - 1]).toBeLessThan(2 * WINDOW_MS);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
  });

  it('shouldMoveOnlyTheShiftedFeatureByItsStandardDeviations', () => {
    const x3 = NUMERIC[3]!;
    const shifted = { ...base, changes: [{ type: 'mean_shift' as const, feature: 'x3', sd: 0.5 }] };
    // 20,000 draws: the sample mean's standard error is sd / 141, about 0.01 sd.
    expect(mean(column(shifted, 'x3'))).toBeCloseTo(x3.mean + 0.5 * x3.sd, 1);
    expect(mean(column(base, 'x3'))).toBeCloseTo(x3.mean, 1);
    expect(column(shifted, 'x4')).toEqual(column(base, 'x4'));
  });

  it('shouldScaleTheSpreadWhenTheVarianceChanges', () => {
    const x5 = NUMERIC[5]!;
    const wider = { ...base, changes: [{ type: 'variance' as const, feature: 'x5', factor: 1.5 }] };
    expect(sd(column(wider, 'x5')) / x5.sd).toBeCloseTo(1.5, 1);
    expect(sd(column(base, 'x5')) / x5.sd).toBeCloseTo(1, 1);
  });

  it('shouldDrawCategoriesWithTheChangedShares', () => {
    const shares = { basic: 0.45, pro: 0.4, enterprise: 0.15 };
    const changed = { ...base, changes: [{ type: 'category_shares' as const, feature: 'plan', shares }] };
    const plans = drawWindow(changed).map((d) => d.inference.features.plan);
    expect(plans.filter((p) => p === 'pro').length / plans.length).toBeCloseTo(0.4, 1);
  });

  it('shouldAddTheAccuracyDropToTheErrorRate', () => {
    expect(errorRate(base)).toBeCloseTo(0.12, 1);
    const worse = { ...base, changes: [{ type: 'accuracy_drop' as const, points: 10 }] };
    expect(errorRate(worse)).toBeCloseTo(0.22, 1);
  });

  it('shouldLabelEachPredictionWithItsOwnIdAndTime', () => {
    const [d] = drawWindow({ ...base, events: 1 });
    expect(d!.joined.prediction_id).toBe(d!.inference.prediction_id);
    expect(d!.joined.predicted_at).toBe(d!.inference.timestamp);
  });
});

describe('verdict benchmark scenarios', () => {
  it('shouldPutEveryChangeOnTheTargetVersionFromItsFirstWindowToTheEnd', () => {
    for (const s of scenarios().filter((x) => x.change !== null)) {
      const [c] = truthOf(s, 0);
      expect(c!.modelVersion).toBe(TARGET.modelVersion);
      expect(c!.fromMs).toBe(s.changeFrom! * WINDOW_MS);
      expect(c!.toMs).toBe(s.windows * WINDOW_MS);
    }
  });

  it('shouldCoverTheGoalCasesAtOneThousandEventsPerWindow', () => {
    const goals = scenarios().filter((s) => s.goal);
    expect(goals.every((s) => s.eventsPerWindow === 1000)).toBe(true);
    expect(goals.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'x3 mean +0.5 sd',
        'x3 mean +1 sd',
        'accuracy -10 points',
        'accuracy -25 points',
      ]),
    );
  });

  it('shouldHaveNoTruthWhenStationary', () => {
    expect(truthOf(scenarios()[0]!, 0)).toEqual([]);
  });
});
