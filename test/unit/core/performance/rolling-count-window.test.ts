import { describe, expect, it } from 'vitest';
import { classificationMetrics } from '../../../../services/core/src/performance/classification-metrics.ts';
import { ClassificationState } from '../../../../services/core/src/performance/classification-state.ts';
import {
  InvalidOptionError,
  InvalidStateJsonError,
} from '../../../../services/core/src/performance/errors.ts';
import { RollingCountWindow } from '../../../../services/core/src/performance/rolling-count-window.ts';
import { randomInt, seededRandom } from './helpers.ts';

function fromScratch(samples: readonly (readonly [string, string])[]): ClassificationState {
  const state = new ClassificationState();
  for (const [t, p] of samples) state.update(t, p);
  return state;
}

describe('RollingCountWindow', () => {
  it.each([1, 7, 50, 333])('shouldEqualARecomputationOfTheLastNSamplesWhenCapacityIs %i', (capacity) => {
    const random = seededRandom(capacity);
    const labels = ['a', 'b', 'c', 'd', 'e'];
    const window = new RollingCountWindow(capacity);
    const history: [string, string][] = [];
    for (let i = 0; i < 2000; i++) {
      // Class 'e' only shows up early, so it must drop out of the metrics once evicted.
      const k = i < 100 ? 5 : 4;
      const t = labels[randomInt(random, k)] ?? 'a';
      const p = random() < 0.7 ? t : (labels[randomInt(random, k)] ?? 'a');
      window.update(t, p);
      history.push([t, p]);
      if (i % 37 === 0 || i === 1999) {
        const expected = classificationMetrics(fromScratch(history.slice(-capacity)));
        expect(window.metrics()).toEqual(expected);
        expect(window.size).toBe(Math.min(capacity, i + 1));
      }
    }
  });

  it('shouldMatchTheDocExample', () => {
    const w = new RollingCountWindow(2).update('a', 'a').update('a', 'b').update('b', 'b');
    expect(w.size).toBe(2);
    expect(w.snapshot().count).toBe(2);
  });

  it('shouldRoundTripAndKeepEvictingInOrderWhenRestored', () => {
    const window = new RollingCountWindow(3)
      .update('x', 'y')
      .update('y', 'y')
      .update('z', 'x')
      .update('x', 'x');
    const restored = RollingCountWindow.fromJSON(JSON.parse(JSON.stringify(window.toJSON())));
    expect(restored.toJSON()).toEqual(window.toJSON());
    window.update('y', 'z');
    restored.update('y', 'z');
    expect(restored.metrics()).toEqual(window.metrics());
    expect(restored.metrics()).toEqual(
      classificationMetrics(
        fromScratch([
          ['z', 'x'],
          ['x', 'x'],
          ['y', 'z'],
        ]),
      ),
    );
  });

  it('shouldThrowWhenCapacityOrSnapshotIsInvalid', () => {
    expect(() => new RollingCountWindow(0)).toThrow(InvalidOptionError);
    expect(() => new RollingCountWindow(1.5)).toThrow(InvalidOptionError);
    const json = new RollingCountWindow(2).update('a', 'b').toJSON();
    expect(() => RollingCountWindow.fromJSON({ ...json, samples: [[0, 5]] })).toThrow(InvalidStateJsonError);
    expect(() =>
      RollingCountWindow.fromJSON({
        ...json,
        samples: [
          [0, 1],
          [1, 0],
          [0, 0],
        ],
      }),
    ).toThrow(InvalidStateJsonError);
  });
});
