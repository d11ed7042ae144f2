/** The TSDoc @example blocks of the performance library, run as tests (as River runs its docstrings). */
import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../../../../services/core/src/performance/classification-metrics.ts';
import { ClassificationState } from '../../../../services/core/src/performance/classification-state.ts';
import { RegressionState } from '../../../../services/core/src/performance/regression-state.ts';
import { RunningMoments } from '../../../../services/core/src/performance/running-moments.ts';

describe('doc examples', () => {
  it('shouldGiveAccuracyOneHalfWhenFollowingTheClassificationMetricsExample', () => {
    const s = new ClassificationState().update('a', 'a').update('b', 'a');
    expect(classificationMetrics(s).find((m) => m.metric === 'accuracy')).toEqual({
      metric: 'accuracy',
      value: 0.5,
    });
  });

  it('shouldCountTwoSamplesWhenFollowingTheRegressionStateExample', () => {
    const state = new RegressionState().update(2, 2.5).update(0, 1);
    expect(state.count).toBe(2);
    expect(state.zeroTargets).toBe(1);
  });

  it('shouldMergeMomentsLikeOnePassWhenSplit', () => {
    const whole = new RunningMoments();
    const left = new RunningMoments();
    const right = new RunningMoments();
    [1, 2, 3, 4, 10].forEach((x, i) => {
      whole.update(x);
      (i < 2 ? left : right).update(x);
    });
    const merged = left.merge(right.toJSON());
    expect(merged.count).toBe(5);
    expect(merged.mean).toBeCloseTo(whole.mean, 14);
    expect(merged.m2).toBeCloseTo(whole.m2, 12);
    expect(merged.sampleVariance).toBeCloseTo(12.5, 12);
  });
});
