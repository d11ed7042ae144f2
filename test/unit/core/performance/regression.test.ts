import { describe, expect, it } from 'vitest';
import {
  InvalidStateJsonError,
  InvalidValueError,
} from '../../../../services/core/src/performance/errors.ts';
import { regressionMetrics } from '../../../../services/core/src/performance/regression-metrics.ts';
import { RegressionState } from '../../../../services/core/src/performance/regression-state.ts';
import { RunningMoments } from '../../../../services/core/src/performance/running-moments.ts';
import type { RegressionFixture } from './fixture-types.ts';
import { expectClose, loadFixture, randomPartition, seededRandom } from './helpers.ts';

const fixture = loadFixture<RegressionFixture>('regression.json');

function build(pairs: readonly (readonly [number, number])[]): RegressionState {
  const state = new RegressionState();
  for (const [y, p] of pairs) state.update(y, p);
  return state;
}

function expectSameMetrics(actual: RegressionState, expected: RegressionState, rel = 1e-9): void {
  const a = regressionMetrics(actual);
  const e = regressionMetrics(expected);
  expect(a.map((m) => m.metric)).toEqual(e.map((m) => m.metric));
  e.forEach((m, i) => expectClose(a[i]?.value, m.value, m.metric, rel, 1e-12));
}

describe('regressionMetrics against scikit-learn reference values', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('shouldMatchEveryMetricWhen %s', (_, c) => {
    const metrics = regressionMetrics(build(c.y_true.map((y, i) => [y, c.y_pred[i] ?? Number.NaN])));
    expect(metrics.map((m) => m.metric).sort()).toEqual(Object.keys(c.metrics).sort());
    for (const [name, expected] of Object.entries(c.metrics)) {
      expectClose(metrics.find((m) => m.metric === name)?.value, expected, `${c.name} ${name}`);
    }
  });

  it('shouldMatchTheDocExample', () => {
    expect(regressionMetrics(new RegressionState().update(1, 2).update(3, 3))).toEqual([
      { metric: 'count', value: 2 },
      { metric: 'mae', value: 0.5 },
      { metric: 'rmse', value: Math.sqrt(0.5) },
      { metric: 'mape', value: 0.5 },
      { metric: 'mape_zero_targets', value: 0 },
      { metric: 'r2', value: 0.5 },
      { metric: 'mean_error', value: 0.5 },
    ]);
  });
});

describe('RegressionState merge', () => {
  function randomPairs(n: number, seed: number, offset: number): [number, number][] {
    const random = seededRandom(seed);
    return Array.from({ length: n }, () => {
      const y = random() < 0.1 ? 0 : offset + (random() - 0.5) * 10;
      return [y, y + (random() - 0.4) * 2];
    });
  }

  it.each([
    [1, 0],
    [2, 1e6],
    [3, -250],
    [4, 1e9],
  ])('shouldEqualOnePassWithin1e-9WhenMergingRandomSplits (seed %i, offset %d)', (seed, offset) => {
    const pairs = randomPairs(3000, seed, offset);
    const whole = build(pairs);
    const [a = [], b = [], c = []] = randomPartition(pairs, 3, seededRandom(seed + 50));
    expectSameMetrics(build(a).merge(build(b)).merge(build(c)), whole);
    expectSameMetrics(build(a).merge(build(b).merge(build(c))), whole);
    expectSameMetrics(build(c).merge(build(b)).merge(build(a)), whole);
    const merged = build(a).merge(build(b)).merge(build(c));
    expectClose(merged.targetMoments.m2, whole.targetMoments.m2, 'M2 of y', 1e-9, 0);
  });

  it('shouldKeepTheVarianceAccurateWhenTargetsHaveALargeOffset', () => {
    // Σy² − n·ȳ² would lose every digit here; Welford/Chan keeps them.
    const moments = new RunningMoments();
    for (const x of [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]) moments.update(x);
    expect(moments.sampleVariance).toBe(30);
  });

  it('shouldRoundTripLosslesslyWhenSerialized', () => {
    const state = build(randomPairs(200, 7, 3));
    const restored = RegressionState.fromJSON(JSON.parse(JSON.stringify(state.toJSON())));
    expect(restored.toJSON()).toEqual(state.toJSON());
  });

  it('shouldThrowInvalidStateJsonErrorWhenCountsDisagree', () => {
    const json = build(randomPairs(20, 8, 3)).toJSON();
    expect(() => RegressionState.fromJSON({ ...json, zeroTargets: json.zeroTargets + 1 })).toThrow(
      InvalidStateJsonError,
    );
    expect(() => RegressionState.fromJSON({ ...json, version: 3 })).toThrow(InvalidStateJsonError);
  });

  it('shouldThrowAndStayUnchangedWhenAValueIsNotFinite', () => {
    const state = new RegressionState().update(1, 1);
    expect(() => state.update(Number.NaN, 1)).toThrow(InvalidValueError);
    expect(() => state.update(1, Infinity)).toThrow(InvalidValueError);
    expect(state.count).toBe(1);
  });
});
