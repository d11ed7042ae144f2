import { describe, expect, it } from 'vitest';
import {
  ClassificationState,
  classificationMetrics,
  RegressionState,
  regressionMetrics,
  StateUnderflowError,
  type ClassScores,
  type MetricValue,
} from '../../../../services/core/src/performance/index.ts';
import { expectClose, randomInt, seededRandom } from './helpers.ts';

interface Sample {
  readonly t: string;
  readonly p: string;
  readonly scores?: ClassScores;
}

/** Random samples over `k` classes; some unscored, some with scores that omit classes or tie. */
function samples(n: number, k: number, seed: number): Sample[] {
  const random = seededRandom(seed);
  const labels = Array.from({ length: k }, (_, i) => `c${i}`);
  return Array.from({ length: n }, () => {
    const t = labels[randomInt(random, k)] ?? '';
    const p = random() < 0.6 ? t : (labels[randomInt(random, k)] ?? '');
    if (random() < 0.2) return { t, p };
    const raw = labels.map((label) => (random() < 0.2 ? 0 : random() + (label === t ? 1 : 0)));
    const sum = raw.reduce((a, b) => a + b, 0) || 1;
    const scores: Record<string, number> = {};
    labels.forEach((label, c) => {
      if ((raw[c] ?? 0) > 0 || random() < 0.5) scores[label] = (raw[c] ?? 0) / sum;
    });
    return { t, p, scores };
  });
}

const add = (s: ClassificationState, x: Sample) => s.update(x.t, x.p, x.scores);
const take = (s: ClassificationState, x: Sample) => s.retract(x.t, x.p, x.scores);

/** Same metric names, values within 1e-9 (relative above 1). */
function expectSameMetrics(actual: readonly MetricValue[], expected: readonly MetricValue[]): void {
  const names = (m: readonly MetricValue[]) => m.map((x) => x.metric).sort();
  expect(names(actual)).toEqual(names(expected));
  const want = new Map(expected.map((m) => [m.metric, m.value]));
  for (const m of actual) expectClose(m.value, want.get(m.metric)!, m.metric);
}

describe('ClassificationState retraction', () => {
  it('shouldGiveTheMetricsOfBAloneWhenAIsAddedThenRetractedAroundB', () => {
    for (const seed of [1, 2, 3]) {
      const all = samples(400, 5, seed);
      const a = all.filter((_, i) => i % 3 === 0);
      const b = all.filter((_, i) => i % 3 !== 0);
      const state = new ClassificationState();
      // Interleaved, so a's samples are taken out of a state that learned its labels in mixed order.
      all.forEach((x) => add(state, x));
      a.forEach((x) => take(state, x));
      const fresh = new ClassificationState();
      b.forEach((x) => add(fresh, x));
      expectSameMetrics(classificationMetrics(state), classificationMetrics(fresh));
      expect(state.count).toBe(fresh.count);
      expect(state.scoredCount).toBe(fresh.scoredCount);
      expect(state.correctCount).toBe(fresh.correctCount);
      expect([...state.activeLabels].sort()).toEqual([...fresh.labels].sort());
    }
  });

  it('shouldReturnToTheFiguresOfAnEmptyStateWhenEverySampleIsRetracted', () => {
    const all = samples(200, 4, 7);
    const state = new ClassificationState();
    all.forEach((x) => add(state, x));
    [...all].reverse().forEach((x) => take(state, x));
    expect(classificationMetrics(state)).toEqual(classificationMetrics(new ClassificationState()));
    expect(state.logLossSum).toBe(0);
    expect(state.brierSum).toBe(0);
    expect(Array.from(state.calibrationBins.confidenceSum).every((x) => x === 0)).toBe(true);
    expect(state.activeLabels).toEqual([]);
  });

  it('shouldBecomeBinaryAgainWhenTheThirdClassIsRetracted', () => {
    const a = { t: 'c', p: 'c', scores: { a: 0.1, b: 0.1, c: 0.8 } };
    const b: Sample[] = [
      { t: 'a', p: 'a', scores: { a: 0.7, b: 0.3 } },
      { t: 'b', p: 'a', scores: { a: 0.6, b: 0.4 } },
      { t: 'b', p: 'b', scores: { a: 0.2, b: 0.8 } },
    ];
    const state = new ClassificationState();
    add(state, a);
    b.forEach((x) => add(state, x));
    take(state, a);
    const fresh = new ClassificationState();
    b.forEach((x) => add(fresh, x));
    const metrics = classificationMetrics(state);
    expectSameMetrics(metrics, classificationMetrics(fresh));
    // Binary again: Brier's ½ applies and there is no weighted one-vs-rest AUC.
    expect(metrics.some((m) => m.metric === 'roc_auc_weighted')).toBe(false);
    expectClose(metrics.find((m) => m.metric === 'brier')?.value, (0.5 * (0.18 + 0.72 + 0.08)) / 3);
  });

  it('shouldLeaveOneClassOnlyWhenTheOtherClassIsRetracted', () => {
    const state = new ClassificationState();
    const only = { t: 'x', p: 'x', scores: { x: 0.9, y: 0.1 } };
    const other = { t: 'y', p: 'x', scores: { x: 0.6, y: 0.4 } };
    add(state, only).update(other.t, other.p, other.scores);
    take(state, other);
    const fresh = add(new ClassificationState(), only);
    expectSameMetrics(classificationMetrics(state), classificationMetrics(fresh));
    expect(classificationMetrics(state).some((m) => m.metric.startsWith('roc_auc'))).toBe(false);
  });

  it('shouldEqualTheStateOfTheKeptSamplesWhenAMergedStateIsSubtracted', () => {
    const all = samples(300, 6, 11);
    const gone = new ClassificationState();
    const kept = new ClassificationState();
    const both = new ClassificationState();
    all.forEach((x, i) => {
      add(i % 4 === 0 ? gone : kept, x);
      add(both, x);
    });
    both.subtract(gone);
    expectSameMetrics(classificationMetrics(both), classificationMetrics(kept));
    expect(both.count).toBe(kept.count);
    // And the snapshot survives a round trip.
    expectSameMetrics(
      classificationMetrics(ClassificationState.fromJSON(both.toJSON())),
      classificationMetrics(kept),
    );
  });

  it('shouldRefuseToRetractASampleItDoesNotHoldAndStayUnchanged', () => {
    const state = new ClassificationState().update('a', 'b', { a: 0.4, b: 0.6 });
    const before = JSON.stringify(state.toJSON());
    expect(() => state.retract('b', 'a')).toThrow(StateUnderflowError);
    expect(() => state.retract('a', 'b', { a: 0.4, z: 0.6 })).toThrow(StateUnderflowError);
    expect(() => state.subtract(new ClassificationState().update('a', 'b').update('a', 'b'))).toThrow(
      StateUnderflowError,
    );
    expect(JSON.stringify(state.toJSON())).toBe(before);
  });
});

describe('RegressionState retraction', () => {
  const pairs = (n: number, seed: number): [number, number][] => {
    const random = seededRandom(seed);
    return Array.from({ length: n }, () => {
      const y = random() < 0.1 ? 0 : Math.round((random() * 200 - 50) * 100) / 100;
      return [y, y + (random() - 0.4) * 7];
    });
  };

  it('shouldGiveTheMetricsOfBAloneWhenAIsAddedThenRetractedAroundB', () => {
    for (const seed of [1, 2, 3]) {
      const all = pairs(300, seed);
      const state = new RegressionState();
      const fresh = new RegressionState();
      all.forEach(([y, p]) => state.update(y, p));
      all.forEach(([y, p], i) => (i % 3 === 0 ? state.retract(y, p) : fresh.update(y, p)));
      expectSameMetrics(regressionMetrics(state), regressionMetrics(fresh));
      expect(state.zeroTargets).toBe(fresh.zeroTargets);
      expect(state.percentageErrorCount).toBe(fresh.percentageErrorCount);
    }
  });

  it('shouldReturnToAnEmptyStateWhenEverySampleIsRetracted', () => {
    const all = pairs(50, 5);
    const state = new RegressionState();
    all.forEach(([y, p]) => state.update(y, p));
    all.forEach(([y, p]) => state.retract(y, p));
    expect(state.toJSON()).toEqual(new RegressionState().toJSON());
    expect(regressionMetrics(state)).toEqual(regressionMetrics(new RegressionState()));
  });

  it('shouldGiveAnR2OfExactlyOneOrZeroWhenTheRemainingTargetsAreConstant', () => {
    const state = new RegressionState().update(5, 5).update(5, 5).update(7.3, 1);
    state.retract(7.3, 1);
    const fresh = new RegressionState().update(5, 5).update(5, 5);
    expect(regressionMetrics(state)).toEqual(regressionMetrics(fresh));
  });

  it('shouldEqualTheStateOfTheKeptSamplesWhenAMergedStateIsSubtracted', () => {
    const all = pairs(200, 9);
    const gone = new RegressionState();
    const kept = new RegressionState();
    const both = new RegressionState();
    all.forEach(([y, p], i) => {
      (i % 5 === 0 ? gone : kept).update(y, p);
      both.update(y, p);
    });
    expectSameMetrics(regressionMetrics(both.subtract(gone)), regressionMetrics(kept));
  });

  it('shouldRefuseToRetractFromAStateThatHoldsNoSuchSample', () => {
    const state = new RegressionState().update(1, 2);
    expect(() => state.retract(0, 2)).toThrow(StateUnderflowError);
    expect(() => new RegressionState().retract(1, 2)).toThrow(StateUnderflowError);
    expect(state.count).toBe(1);
  });
});
