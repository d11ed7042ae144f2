import { describe, expect, it } from 'vitest';
import {
  isFinal,
  isLate,
  isIdle,
  modelWatermark,
  type Closing,
  type SourceProgress,
} from '../../../../services/core/src/windows/window-finality.ts';

const at = (partition: number, timeMs: number, writtenAtMs = 0) => ({ partition, timeMs, writtenAtMs });
const source = (lagging: number[], started = [0, 1, 2], partitions = 3): SourceProgress => ({
  partitions,
  lagging: new Set(lagging),
  started: new Set(started),
});
const revisable = (idleMs = 0) => ({ closing: 'revisable' as Closing, idleMs });
const once = (idleMs = 0) => ({ closing: 'once' as Closing, idleMs });

describe('modelWatermark, closing revisable', () => {
  it('shouldBeTheSmallestStreamTimeOfTheModelOnPartitionsWithUnprocessedEvents', () => {
    expect(modelWatermark([at(0, 900), at(1, 700), at(2, 100)], source([0, 1]), 0, revisable())).toBe(700);
  });

  it('shouldFollowTheModelsOwnClockWhateverOtherModelsDid', () => {
    // Another model's clock is a day ahead on the same partitions: this one closes on its own times.
    const day = 86_400_000;
    expect(modelWatermark([at(0, 5000), at(1, 4000)], source([]), 0, revisable())).toBe(5000);
    expect(modelWatermark([at(0, day + 5000)], source([]), 0, revisable())).toBe(day + 5000);
  });

  it('shouldHoldBackWhenALaggingPartitionHasNotStartedYet', () => {
    expect(modelWatermark([at(0, 900)], source([0, 3], [0, 1, 2], 4), 0, revisable())).toBe(-Infinity);
    expect(modelWatermark([], source([]), 0, revisable())).toBe(-Infinity);
  });

  it('shouldBeInfiniteWhenTheModelWasIdleLongEnoughAndNothingOfItIsUnprocessed', () => {
    const own = [at(0, 900, 1000), at(1, 800, 3000)];
    expect(modelWatermark(own, source([]), 3000 + 4999, revisable(5000))).toBe(900);
    expect(modelWatermark(own, source([]), 3000 + 5000, revisable(5000))).toBe(Infinity);
    expect(modelWatermark(own, source([1]), 99_999, revisable(5000))).toBe(800);
    expect(modelWatermark(own, source([]), 99_999, revisable(0))).toBe(900);
  });

  it('shouldIgnoreALaggingPartitionThatStartedWithoutEventsOfTheModelWhenClosingRevisably', () => {
    // Partition 2 lags with other models' events only: it is assumed to hold none of this one.
    expect(modelWatermark([at(0, 900), at(1, 700)], source([2]), 0, revisable())).toBe(900);
  });

  it('shouldBeTheOnlyPartitionsTimeWhenTheSourceHasOnePartitionBehind', () => {
    expect(modelWatermark([at(0, 900), at(1, 300)], source([1]), 0, revisable())).toBe(300);
  });
});

describe('modelWatermark, closing once', () => {
  it('shouldBeTheSmallestStreamTimeOverEveryPartitionWhenEachCarriesTheModel', () => {
    // Caught up or not, a partition behind holds the model back: a window closed once is never reopened.
    expect(modelWatermark([at(0, 900), at(1, 700), at(2, 100)], source([]), 0, once())).toBe(100);
    expect(modelWatermark([at(0, 900), at(1, 700), at(2, 100)], source([0, 1]), 0, once())).toBe(100);
  });

  it('shouldHoldBackWhileAPartitionHasNoEventOfTheModel', () => {
    expect(modelWatermark([at(0, 900), at(1, 700)], source([]), 0, once())).toBe(-Infinity);
    expect(modelWatermark([], source([]), 0, once())).toBe(-Infinity);
    expect(modelWatermark([], source([], [], 0), 0, once())).toBe(-Infinity);
  });

  it('shouldCloseEverythingOfAnIdleModelEvenOnPartitionsThatNeverCarriedIt', () => {
    expect(modelWatermark([at(0, 900, 1000)], source([]), 1000 + 5000, once(5000))).toBe(Infinity);
    expect(modelWatermark([at(0, 900, 1000)], source([]), 1000 + 4999, once(5000))).toBe(-Infinity);
  });

  it('shouldNotBeIdleWhileEventsOfTheModelWaitUnprocessed', () => {
    // Back from an outage: the wall clock says idle, but its partition still has a backlog.
    const own = [at(0, 900, 1000), at(1, 800, 1000), at(2, 700, 1000)];
    expect(modelWatermark(own, source([2]), 99_999, once(5000))).toBe(700);
    expect(modelWatermark(own, source([]), 99_999, once(5000))).toBe(Infinity);
  });
});

describe('isIdle', () => {
  it('shouldNeverBeIdleWhenTheIdleTimeIsZero', () => {
    expect(isIdle([at(0, 1, 0)], source([]), Number.MAX_SAFE_INTEGER, 0)).toBe(false);
  });

  it('shouldNotBeIdleWithoutAnyClockOrWhileALaggingPartitionHasNotStarted', () => {
    expect(isIdle([], source([]), 99_999, 5000)).toBe(false);
    expect(isIdle([at(0, 1, 0)], source([1], [0]), 99_999, 5000)).toBe(false);
    expect(isIdle([at(0, 1, 0)], source([1], [0, 1]), 99_999, 5000)).toBe(true);
  });

  it('shouldCountFromTheLastWriteOnAnyPartition', () => {
    const own = [at(0, 1, 1000), at(1, 1, 3000)];
    expect(isIdle(own, source([]), 7999, 5000)).toBe(false);
    expect(isIdle(own, source([]), 8000, 5000)).toBe(true);
  });
});

describe('isFinal', () => {
  it('shouldBeFinalOnlyOnceTheWatermarkReachedEndPlusGrace', () => {
    expect(isFinal(1000, 100, 1099)).toBe(false);
    expect(isFinal(1000, 100, 1100)).toBe(true);
    expect(isFinal(1000, 0, 1000)).toBe(true);
  });

  it('shouldTreatTheInfiniteWatermarksAsAllAndNothing', () => {
    expect(isFinal(Number.MAX_SAFE_INTEGER, 60_000, Infinity)).toBe(true);
    expect(isFinal(-Number.MAX_SAFE_INTEGER, 0, -Infinity)).toBe(false);
  });
});

describe('isLate', () => {
  it('shouldBeLateOnlyWhenTimePlusGraceIsBelowTheWatermark', () => {
    expect(isLate(1000, 100, 1100)).toBe(false);
    expect(isLate(1000, 100, 1101)).toBe(true);
  });

  it('shouldNeverAcceptAnEventIntoAWindowThatIsFinal', () => {
    // An event at the last millisecond of a window [0, 1000): final at watermark 1100 with grace 100.
    for (const watermark of [1098, 1099, 1100, 1101]) {
      const final = isFinal(1000, 100, watermark);
      const late = isLate(999, 100, watermark);
      expect(final && !late).toBe(false);
    }
  });
});
