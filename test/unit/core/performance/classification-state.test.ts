import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../../../../services/core/src/performance/classification-metrics.ts';
import { ClassificationState } from '../../../../services/core/src/performance/classification-state.ts';
import {
  IncompatibleStateError,
  InvalidOptionError,
  InvalidScoreError,
  InvalidStateJsonError,
  StateUnderflowError,
} from '../../../../services/core/src/performance/errors.ts';
import type { ClassScores } from '../../../../services/core/src/performance/classification-state.ts';
import type { ClassificationStateJson } from '../../../../services/core/src/performance/classification-state-json.ts';
import { expectClose, randomInt, randomPartition, seededRandom } from './helpers.ts';

interface Sample {
  readonly t: string;
  readonly p: string;
  readonly scores?: ClassScores;
}

/** Random samples over `k` classes; a share of them unscored; scores may omit classes. */
function randomSamples(n: number, k: number, seed: number): Sample[] {
  const random = seededRandom(seed);
  const labels = Array.from({ length: k }, (_, i) => `class-${i}`);
  return Array.from({ length: n }, () => {
    const t = labels[randomInt(random, k)] ?? '';
    const p = random() < 0.6 ? t : (labels[randomInt(random, k)] ?? '');
    if (random() < 0.2) return { t, p };
    const raw = labels.map((label) => (random() < 0.15 ? 0 : random() + (label === t ? 1 : 0)));
    const sum = raw.reduce((a, b) => a + b, 0) || 1;
    const scores: Record<string, number> = {};
    labels.forEach((label, i) => {
      const value = (raw[i] ?? 0) / sum;
      if (value > 0) scores[label] = value;
    });
    return { t, p, scores };
  });
}

function build(samples: readonly Sample[]): ClassificationState {
  const state = new ClassificationState();
  for (const s of samples) state.update(s.t, s.p, s.scores);
  return state;
}

/** Counts must match exactly, float sums within 1e-12 relative, and so must every metric. */
function expectEquivalent(actual: ClassificationState, expected: ClassificationState): void {
  const metricsA = classificationMetrics(actual);
  const metricsE = classificationMetrics(expected);
  expect(metricsA.map((m) => m.metric).sort()).toEqual(metricsE.map((m) => m.metric).sort());
  for (const m of metricsE) {
    expectClose(metricsA.find((x) => x.metric === m.metric)?.value, m.value, m.metric, 1e-12, 1e-12);
  }
  expect(actual.count).toBe(expected.count);
  expect(actual.scoredCount).toBe(expected.scoredCount);
  for (const label of expected.labels) {
    const a = actual.indexOfLabel(label) ?? -1;
    const e = expected.indexOfLabel(label) ?? -1;
    expect(Array.from(actual.scoreHistograms(a)?.positive ?? [])).toEqual(
      Array.from(expected.scoreHistograms(e)?.positive ?? []),
    );
    expect(Array.from(actual.scoreHistograms(a)?.negative ?? [])).toEqual(
      Array.from(expected.scoreHistograms(e)?.negative ?? []),
    );
    for (const other of expected.labels) {
      const a2 = actual.indexOfLabel(other) ?? -1;
      const e2 = expected.indexOfLabel(other) ?? -1;
      expect(actual.confusionCount(a, a2)).toBe(expected.confusionCount(e, e2));
    }
  }
  expect(Array.from(actual.calibrationBins.count)).toEqual(Array.from(expected.calibrationBins.count));
  expect(Array.from(actual.calibrationBins.correctCount)).toEqual(
    Array.from(expected.calibrationBins.correctCount),
  );
}

describe('ClassificationState merge', () => {
  it.each([1, 2, 3, 4, 5])('shouldEqualOnePassWhenMergingRandomSplits (seed %i)', (seed) => {
    const samples = randomSamples(2000, 3 + seed, seed);
    const whole = build(samples);
    const [a = [], b = [], c = []] = randomPartition(samples, 3, seededRandom(100 + seed));
    const left = build(a).merge(build(b)).merge(build(c)); // (a+b)+c
    const right = build(a).merge(build(b).merge(build(c))); // a+(b+c)
    const swapped = build(c).merge(build(a)).merge(build(b)); // commuted
    expectEquivalent(left, whole);
    expectEquivalent(right, whole);
    expectEquivalent(swapped, whole);
  });

  it('shouldStayExactWhenClassesAppearOnlyInOnePartition', () => {
    const a = new ClassificationState().update('x', 'x', { x: 0.9, y: 0.1 });
    const b = new ClassificationState().update('z', 'y', { y: 0.3, z: 0.7 }).update('y', 'y', { y: 1 });
    const whole = new ClassificationState()
      .update('x', 'x', { x: 0.9, y: 0.1 })
      .update('z', 'y', { y: 0.3, z: 0.7 })
      .update('y', 'y', { y: 1 });
    expectEquivalent(a.clone().merge(b), whole);
    expectEquivalent(b.clone().merge(a), whole);
  });

  it('shouldDoubleEveryCountWhenMergedWithItself', () => {
    const state = build(randomSamples(100, 4, 9));
    const doubled = build([...randomSamples(100, 4, 9), ...randomSamples(100, 4, 9)]);
    expectEquivalent(state.merge(state), doubled);
  });

  it('shouldRefuseToMergeWhenOptionsDiffer', () => {
    const a = new ClassificationState({ aucBins: 100 });
    expect(() => a.merge(new ClassificationState())).toThrow(IncompatibleStateError);
  });

  it('shouldLeaveOtherUnchangedWhenMerging', () => {
    const other = build(randomSamples(50, 3, 11));
    const before = JSON.stringify(other.toJSON());
    build(randomSamples(50, 5, 12)).merge(other);
    expect(JSON.stringify(other.toJSON())).toBe(before);
  });
});

describe('ClassificationState JSON', () => {
  it('shouldRoundTripLosslesslyWhenSerialized', () => {
    const state = build(randomSamples(500, 6, 21));
    const json = JSON.parse(JSON.stringify(state.toJSON())) as ClassificationStateJson;
    const restored = ClassificationState.fromJSON(json);
    expect(restored.toJSON()).toEqual(state.toJSON());
    expectEquivalent(restored, state);
  });

  it.each([
    ['a wrong version', (j: Record<string, unknown>) => ({ ...j, version: 2 })],
    ['a negative count', (j: Record<string, unknown>) => ({ ...j, count: -1 })],
    ['confusion not summing to count', (j: Record<string, unknown>) => ({ ...j, count: 999 })],
    ['a label index out of range', (j: Record<string, unknown>) => ({ ...j, confusion: [[7, 0, 3]] })],
    ['duplicate labels', (j: Record<string, unknown>) => ({ ...j, labels: ['a', 'a'] })],
    ['a non-object', () => 'state'],
    [
      'out-of-range options',
      (j: Record<string, unknown>) => ({ ...j, options: { ...(j['options'] as object), aucBins: 0 } }),
    ],
    [
      'a histogram bin out of range',
      (j: Record<string, unknown>) => {
        const scored = j['scored'] as Record<string, unknown>;
        return {
          ...j,
          scored: { ...scored, histograms: { positive: [[[1000, 1]], []], negative: [[], []] } },
        };
      },
    ],
  ])('shouldThrowInvalidStateJsonErrorWhenGiven %s', (_, corrupt) => {
    const json = new ClassificationState().update('a', 'b').update('a', 'a').update('b', 'a').toJSON();
    expect(() => ClassificationState.fromJSON(corrupt(json as unknown as Record<string, unknown>))).toThrow(
      InvalidStateJsonError,
    );
  });
});

describe('ClassificationState update', () => {
  it.each([
    ['NaN', Number.NaN],
    ['negative', -0.1],
    ['above one', 1.5],
    ['a string', '0.5' as unknown as number],
  ])('shouldThrowAndStayUnchangedWhenScoreIs %s', (_, bad) => {
    const state = new ClassificationState().update('a', 'a', { a: 1 });
    const before = JSON.stringify(state.toJSON());
    expect(() => state.update('b', 'new-label', { a: 0.5, b: bad })).toThrow(InvalidScoreError);
    expect(JSON.stringify(state.toJSON())).toBe(before);
  });

  it('shouldTreatMissingScoresAsZeroWhenTheTrueClassIsAbsent', () => {
    const state = new ClassificationState({ logLossEpsilon: 1e-15 }).update('a', 'b', { b: 1 });
    expectClose(state.logLossSum, -Math.log(1e-15), 'log loss');
    expectClose(state.brierSum, 2, 'brier sum');
  });

  it('shouldThrowInvalidOptionErrorWhenBinsAreNotPositiveIntegers', () => {
    expect(() => new ClassificationState({ aucBins: 0 })).toThrow(InvalidOptionError);
    expect(() => new ClassificationState({ calibrationBins: 2.5 })).toThrow(InvalidOptionError);
    expect(() => new ClassificationState({ logLossEpsilon: 0 })).toThrow(InvalidOptionError);
  });

  it('shouldRevertUnscoredSamplesAndRefuseUnknownOnes', () => {
    const state = new ClassificationState().update('a', 'b').update('a', 'a');
    state.revert('a', 'b');
    expect(state.count).toBe(1);
    expect(state.confusionCount(0, 1)).toBe(0);
    expect(() => state.revert('a', 'b')).toThrow(StateUnderflowError);
    expect(() => state.revert('zz', 'a')).toThrow(StateUnderflowError);
  });

  it('shouldCountTwoSamplesWhenFollowingTheDocExample', () => {
    const state = new ClassificationState();
    state.update('cat', 'cat', { cat: 0.8, dog: 0.2 });
    state.update('dog', 'cat', { cat: 0.6, dog: 0.4 });
    expect(state.count).toBe(2);
  });
});
