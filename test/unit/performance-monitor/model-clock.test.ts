import { describe, expect, it } from 'vitest';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import { decodeJoinerTask, type JoinerTask } from '../../../services/core/src/serde/joiner-task-header.ts';
import { PerformanceProcessor } from '../../../services/performance-monitor/src/processor.ts';
import { MIN, T0, cls, finalRows, options, run } from './helpers.ts';

const DAY = 24 * 60 * MIN;

/** Pair i was joined by the joiner's task i mod 2, of two (the header the joiner writes: `0/2`, `1/2`). */
const taskOf = (r: JoinedPrediction): JoinerTask =>
  decodeJoinerTask(`${Number(r.prediction_id.split('-')[1]) % 2}/2`);

/** 40 minutes of one model's labeled predictions from `startMs`, two a minute, every third one wrong. */
function stream(model: string, startMs: number): JoinedPrediction[] {
  return Array.from({ length: 80 }, (_, i) =>
    cls(startMs + i * 30_000, 'a', i % 3 === 0 ? 'b' : 'a', {
      model_id: model,
      prediction_id: `${model}-${i}`,
    }),
  );
}

/** A backfill: task 0 emits all its pairs (the even ones) before task 1 emits any (the odd ones). */
function backfill(): { pairs: JoinedPrediction[]; skewed: JoinedPrediction[] } {
  const pairs = stream('m', T0);
  const of = (task: string) => pairs.filter((r) => taskOf(r).task === task);
  return { pairs, skewed: [...of('0'), ...of('1')] };
}

/** The rows as `FINAL` shows them, without the revision (which counts records of both models). */
function figures(flushes: Parameters<typeof finalRows>[0], model: string) {
  return [...finalRows(flushes).values()]
    .filter((r) => r.model_id === model)
    .map(({ revision: _, ...r }) => r)
    .sort(
      (a, b) =>
        a.window_id - b.window_id ||
        a.window_size.localeCompare(b.window_size) ||
        a.metric.localeCompare(b.metric),
    );
}

describe('PerformanceProcessor: each model on its own clock', () => {
  it('shouldWindowAModelWhoseClockLagsAnotherByADayAsIfItWereAlone', () => {
    const o = options({ allowedLatenessMs: 5 * MIN });
    const live = stream('live', T0 + DAY);
    const behind = stream('behind', T0);
    // Interleaved in one partition, in batches: the lagging model's records come after the live one's.
    const together = live.flatMap((r, i) => [r, behind[i]!]);
    const mixed = run(together, o, 16);
    const alone = run(behind, o, 8);
    const got = figures(mixed.flushes, 'behind');
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(figures(alone.flushes, 'behind'));
    // Nothing of it was late: every window holds its 10 (5m) or 80 (1h) predictions, the closed ones are final.
    const counts = got.filter((r) => r.metric === 'count');
    expect(counts.filter((r) => r.window_size === '5m').map((r) => r.value)).toEqual(Array(8).fill(10));
    expect(counts.filter((r) => r.is_final === 1).length).toBeGreaterThan(0);
  });

  it('shouldCountNoPairLateWhenOneJoinerTaskRunsFortyMinutesAheadOfAnother', () => {
    const o = options({ allowedLatenessMs: 5 * MIN });
    const { pairs, skewed } = backfill();
    const processor = new PerformanceProcessor(o);
    const outcomes = skewed.map((r) => processor.process(r, undefined, taskOf(r)).outcome);
    expect(outcomes.filter((x) => x === 'late')).toEqual([]);
    const merged = run(skewed, o, 16, new PerformanceProcessor(o), taskOf);
    expect(figures(merged.flushes, 'm')).toEqual(figures(run(pairs, o, 16).flushes, 'm'));
  });

  it('shouldDropTheSlowTasksPairsAsLateWhenTheSkewAllowedIsZero', () => {
    const o = options({ allowedLatenessMs: 5 * MIN, maxJoinerSkewMs: 0 });
    const { skewed } = backfill();
    const processor = new PerformanceProcessor(o);
    const late = skewed.filter((r) => processor.process(r, undefined, taskOf(r)).outcome === 'late');
    // Task 1's pairs more than 5 minutes behind task 0's last (39 min): minutes 0.5 to 33.5.
    expect(late.length).toBe(34);
  });
});
