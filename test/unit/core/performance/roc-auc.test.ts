import { describe, expect, it } from 'vitest';
import { binnedRocAuc } from '../../../../services/core/src/performance/binned-roc-auc.ts';
import {
  classificationMetrics,
  metricValue,
} from '../../../../services/core/src/performance/classification-metrics.ts';
import { ClassificationState } from '../../../../services/core/src/performance/classification-state.ts';
import { InvalidOptionError } from '../../../../services/core/src/performance/errors.ts';
import { exactOvrRocAuc, exactRocAuc } from '../../../../services/core/src/performance/exact-roc-auc.ts';
import { stateRocAuc } from '../../../../services/core/src/performance/state-roc-auc.ts';
import type { ClassScores } from '../../../../services/core/src/performance/classification-state.ts';
import { expectClose, randomInt, seededRandom } from './helpers.ts';

describe('binnedRocAuc', () => {
  it('shouldMatchTheDocExample', () => {
    expect(binnedRocAuc([0, 1, 1], [1, 1, 0])).toEqual({
      auc: 0.875,
      maxError: 0.125,
      positives: 2,
      negatives: 2,
    });
  });

  it('shouldReturnNullWhenOneSideIsEmpty', () => {
    expect(binnedRocAuc([1, 2], [0, 0])).toBeNull();
    expect(binnedRocAuc([0, 0], [3, 0])).toBeNull();
  });

  it.each([2, 10, 100, 1000])('shouldStayWithinItsBoundOfTheExactAucWhenUsing %i bins', (bins) => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed * 7919 + bins);
      const n = 50 + randomInt(random, 400);
      const isPositive = Array.from({ length: n }, () => random() < 0.4);
      const shift = random() * 0.3;
      const scores = isPositive.map((p) => Math.min(1, Math.max(0, random() * 0.8 + (p ? shift : 0))));
      const state = new ClassificationState({ aucBins: bins });
      scores.forEach((s, i) => state.update(isPositive[i] ? 'pos' : 'neg', 'pos', { pos: s, neg: 1 - s }));
      const exact = exactRocAuc(scores, isPositive);
      const binned = stateRocAuc(state);
      if (exact === null || binned?.kind !== 'binary') throw new Error('expected a binary AUC');
      expect(Math.abs(binned.auc.auc - exact)).toBeLessThanOrEqual(binned.auc.maxError + 1e-12);
    }
  });

  it('shouldBeExactWhenScoresAreTiedWithinBins', () => {
    const state = new ClassificationState({ aucBins: 10 });
    const scores = [0.15, 0.15, 0.35, 0.35, 0.35, 0.85];
    const isPositive = [false, true, false, true, true, true];
    scores.forEach((s, i) => state.update(isPositive[i] ? 'pos' : 'neg', 'pos', { pos: s, neg: 1 - s }));
    const auc = stateRocAuc(state);
    expect(auc?.kind).toBe('binary');
    if (auc?.kind === 'binary')
      expectClose(auc.auc.auc, exactRocAuc(scores, isPositive) ?? Number.NaN, 'auc');
  });
});

describe('exactRocAuc', () => {
  it('shouldMatchTheDocExample', () => {
    expect(exactRocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
  });

  it('shouldReturnNullWithOneClassOnly', () => {
    expect(exactRocAuc([0.1, 0.2], [true, true])).toBeNull();
    expect(exactOvrRocAuc(['a', 'a'], [{ a: 1 }, { a: 0.5 }], 'macro')).toBeNull();
  });
});

describe('stateRocAuc', () => {
  function multiclass(seed: number): { state: ClassificationState; truth: string[]; rows: ClassScores[] } {
    const random = seededRandom(seed);
    const state = new ClassificationState();
    const truth: string[] = [];
    const rows: ClassScores[] = [];
    for (let i = 0; i < 300; i++) {
      const t = ['a', 'b', 'c'][randomInt(random, 3)] ?? 'a';
      // 'ghost' only ever appears as a score key: no positives, so it is left out of the average.
      const raw = { a: random(), b: random(), c: random(), ghost: random() * 0.2 };
      const boosted: Record<string, number> = { ...raw, [t]: (raw[t as 'a'] ?? 0) + 1 };
      const sum = Object.values(boosted).reduce((x, y) => x + y, 0);
      const row = Object.fromEntries(Object.entries(boosted).map(([k, v]) => [k, v / sum]));
      state.update(t, t, row);
      truth.push(t);
      rows.push(row);
    }
    return { state, truth, rows };
  }

  it('shouldAverageOnlyClassesWithPositivesWhenAScoreKeyIsNeverTrue', () => {
    const { state, truth, rows } = multiclass(5);
    const auc = stateRocAuc(state);
    if (auc?.kind !== 'ovr') throw new Error('expected one-vs-rest');
    for (const [estimate, average] of [
      [auc.macro, 'macro'],
      [auc.weighted, 'weighted'],
    ] as const) {
      const exact = exactOvrRocAuc(truth, rows, average) ?? Number.NaN;
      expect(Math.abs(estimate.auc - exact)).toBeLessThanOrEqual(estimate.maxError + 1e-12);
    }
  });

  it('shouldUseTheGivenPositiveLabelWhenBinary', () => {
    const state = new ClassificationState()
      .update('yes', 'yes', { yes: 0.9, no: 0.5 })
      .update('no', 'no', { yes: 0.2, no: 0.4 })
      .update('no', 'yes', { yes: 0.6, no: 0.7 });
    expect(metricValue(classificationMetrics(state), 'roc_auc')).toBe(1);
    expect(metricValue(classificationMetrics(state, { positiveLabel: 'no' }), 'roc_auc')).toBe(0.5);
    expect(() => stateRocAuc(state, 'maybe')).toThrow(InvalidOptionError);
  });

  it('shouldOmitAucWhenOnlyOneClassWasScored', () => {
    const state = new ClassificationState().update('a', 'b', { a: 0.4, b: 0.6 }).update('b', 'b');
    expect(metricValue(classificationMetrics(state), 'roc_auc')).toBeUndefined();
  });
});

describe('expected calibration error', () => {
  it('shouldBreakTopClassTiesTowardsTheSmallestLabel', () => {
    const correct = new ClassificationState().update('a', 'b', { b: 0.5, a: 0.5 });
    const wrong = new ClassificationState().update('b', 'b', { b: 0.5, a: 0.5 });
    expect(metricValue(classificationMetrics(correct), 'ece')).toBe(0.5); // |1 − 0.5|
    expect(metricValue(classificationMetrics(wrong), 'ece')).toBe(0.5); // |0 − 0.5|
    expect(Array.from(correct.calibrationBins.correctCount)).toContain(1);
    expect(Array.from(wrong.calibrationBins.correctCount).every((c) => c === 0)).toBe(true);
  });
});
