import { describe, expect, it } from 'vitest';
import { MergedStreamTime } from '../../../../services/core/src/windows/merged-stream-time.ts';

const MIN = 60_000;

/** The rule written out, recomputed from every task's largest time after each event. */
function bruteForce(events: readonly [string, number][], maxSkewMs: number): number[] {
  const tasks = new Map<string, number>();
  let time = -Infinity;
  return events.map(([task, t]) => {
    tasks.set(task, Math.max(tasks.get(task) ?? -Infinity, t));
    const latest = Math.max(...tasks.values());
    const counted = [...tasks.values()].filter((x) => x >= latest - maxSkewMs);
    time = Math.max(time, Math.min(...counted));
    return time;
  });
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('MergedStreamTime', () => {
  it('shouldFollowTheSlowestTaskWhenOneRunsAhead', () => {
    const clock = new MergedStreamTime(6 * 60 * MIN);
    clock.observe('0', 10 * MIN);
    clock.observe('1', 70 * MIN);
    expect(clock.time).toBe(10 * MIN);
    clock.observe('0', 30 * MIN);
    expect(clock.time).toBe(30 * MIN);
    clock.observe('0', 90 * MIN);
    expect(clock.time).toBe(70 * MIN);
  });

  it('shouldStopWaitingForATaskLaggingTheFastestByMoreThanTheSkew', () => {
    const clock = new MergedStreamTime(60 * MIN);
    clock.observe('quiet', 0);
    clock.observe('busy', 50 * MIN);
    expect(clock.time).toBe(0);
    clock.observe('busy', 61 * MIN);
    expect(clock.time).toBe(61 * MIN);
  });

  it('shouldBeTheLargestTimeWhenTheSkewIsZeroAsKafkaStreamsStreamTime', () => {
    const clock = new MergedStreamTime(0);
    clock.observe('0', 10);
    clock.observe('1', 70);
    clock.observe('0', 20);
    expect(clock.time).toBe(70);
  });

  it('shouldNeverGoBackWhenATaskAppearsBehind', () => {
    const clock = new MergedStreamTime(60 * MIN);
    clock.observe('0', 40 * MIN);
    clock.observe('1', 5 * MIN);
    expect(clock.time).toBe(40 * MIN);
    clock.observe('1', 50 * MIN);
    expect(clock.time).toBe(40 * MIN);
    clock.observe('0', 55 * MIN);
    expect(clock.time).toBe(50 * MIN);
  });

  it('shouldMatchTheRuleRecomputedAfterEveryEventOnRandomStreams', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = seeded(seed);
      const skew = Math.floor(random() * 4) * 10 * MIN;
      const events: [string, number][] = Array.from({ length: 300 }, (_, i) => [
        String(Math.floor(random() * 4)),
        i * 15_000 + Math.floor((random() - 0.5) * 40 * MIN),
      ]);
      const clock = new MergedStreamTime(skew);
      const got = events.map(([task, t]) => {
        clock.observe(task, t);
        return clock.time;
      });
      expect(got, `seed ${seed}`).toEqual(bruteForce(events, skew));
    }
  });

  it('shouldRestoreWhatItStoredAndReadAStateStoredWithoutTasks', () => {
    const clock = new MergedStreamTime(60 * MIN);
    clock.observe('0', 10 * MIN);
    clock.observe('1', 30 * MIN);
    const again = new MergedStreamTime(60 * MIN);
    again.restore(JSON.parse(JSON.stringify(clock.toJSON())));
    again.observe('0', 40 * MIN);
    expect(again.time).toBe(30 * MIN);

    const old = new MergedStreamTime(60 * MIN);
    old.restore({ time: 20 * MIN });
    expect(old.time).toBe(20 * MIN);
    old.observe('', 25 * MIN);
    expect(old.time).toBe(25 * MIN);
    expect(new MergedStreamTime(0).toJSON()).toEqual({ time: null, tasks: {}, taskCount: 0 });
  });

  it('shouldHoldTheTimeForATaskNotHeardFromOnceTheTaskCountIsKnown', () => {
    const clock = new MergedStreamTime(60 * MIN);
    clock.observe('0', 10 * MIN, 3);
    clock.observe('0', 50 * MIN, 3);
    clock.observe('2', 55 * MIN, 3);
    expect(clock.time).toBe(10 * MIN); // task 1 has said nothing yet
    clock.observe('1', 20 * MIN, 3);
    expect(clock.time).toBe(20 * MIN);
    clock.observe('0', 75 * MIN, 3);
    expect(clock.time).toBe(20 * MIN);
    clock.observe('0', 81 * MIN, 3);
    expect(clock.time).toBe(55 * MIN); // task 1 is now more than an hour behind: no longer waited for
    // More tasks (the joiner's topics got partitions): the new ones hold the time where it is.
    clock.observe('2', 90 * MIN, 4);
    clock.observe('1', 95 * MIN, 4);
    expect(clock.time).toBe(55 * MIN);
    clock.observe('3', 85 * MIN, 4);
    expect(clock.time).toBe(81 * MIN);
    const again = new MergedStreamTime(60 * MIN);
    again.restore(JSON.parse(JSON.stringify(clock.toJSON())));
    expect(again.toJSON()).toEqual(clock.toJSON());
  });
});
