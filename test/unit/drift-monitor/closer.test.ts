import { describe, expect, it } from 'vitest';
import {
  modelWatermark,
  ownerPartition,
  windowsToClose,
  type PartialMeta,
} from '../../../services/drift-monitor/src/closer.ts';

const meta = (partition: number, through: number, extra: Partial<PartialMeta> = {}): PartialMeta => ({
  modelId: 'm',
  modelVersion: 'v1',
  windowStartMs: 0,
  windowEndMs: 1000,
  partition,
  through,
  profileId: 'p1',
  events: 10,
  ...extra,
});

describe('modelWatermark', () => {
  const at = (partition: number, timeMs: number, writtenAtMs = 0) => ({ partition, timeMs, writtenAtMs });
  const started = new Set([0, 1, 2]);

  it('shouldBeTheSmallestStreamTimeOfTheModelOnPartitionsWithUnprocessedEvents', () => {
    expect(modelWatermark([at(0, 900), at(1, 700), at(2, 100)], new Set([0, 1]), started, 0, 0)).toBe(700);
  });

  it('shouldFollowTheModelsOwnClockWhateverOtherModelsDid', () => {
    // Another model's clock is a day ahead on the same partitions: this one closes on its own times.
    const day = 86_400_000;
    expect(modelWatermark([at(0, 5000), at(1, 4000)], new Set(), started, 0, 0)).toBe(5000);
    expect(modelWatermark([at(0, day + 5000)], new Set(), started, 0, 0)).toBe(day + 5000);
  });

  it('shouldHoldBackWhenALaggingPartitionHasNotStartedYet', () => {
    expect(modelWatermark([at(0, 900)], new Set([0, 3]), started, 0, 0)).toBe(-Infinity);
    expect(modelWatermark([], new Set(), started, 0, 0)).toBe(-Infinity);
  });

  it('shouldBeInfiniteWhenTheModelWasIdleLongEnoughAndNothingOfItIsUnprocessed', () => {
    const own = [at(0, 900, 1000), at(1, 800, 3000)];
    expect(modelWatermark(own, new Set(), started, 3000 + 4999, 5000)).toBe(900);
    expect(modelWatermark(own, new Set(), started, 3000 + 5000, 5000)).toBe(Infinity);
    expect(modelWatermark(own, new Set([1]), started, 99_999, 5000)).toBe(800);
    expect(modelWatermark(own, new Set(), started, 99_999, 0)).toBe(900);
  });
});

describe('windowsToClose', () => {
  const base = { closed: [], graceMs: 100, owns: () => true };

  it('shouldCloseAWindowOnlyWhenTheWatermarkPassedItsEndPlusGrace', () => {
    const partials = [meta(1, 5), meta(0, 7)];
    expect(windowsToClose({ ...base, partials, watermarkOf: () => 1099 })).toEqual([]);
    const [w] = windowsToClose({ ...base, partials, watermarkOf: () => 1100 });
    expect(w!.partials.map((p) => p.partition)).toEqual([0, 1]);
    expect(w!.fingerprint).toBe('0:7,1:5');
    expect(w!.inputVersion).toBe(14);
  });

  it('shouldNotCloseAgainWhenTheInputsAreUnchangedButShouldWhenAPartialAdvanced', () => {
    const closed = [{ modelId: 'm', modelVersion: 'v1', windowStartMs: 0, fingerprint: '0:7,1:5' }];
    expect(
      windowsToClose({ ...base, closed, partials: [meta(0, 7), meta(1, 5)], watermarkOf: () => 5000 }),
    ).toEqual([]);
    const again = windowsToClose({
      ...base,
      closed,
      partials: [meta(0, 9), meta(1, 5)],
      watermarkOf: () => 5000,
    });
    expect(again.map((w) => w.inputVersion)).toEqual([16]);
  });

  it('shouldLeaveModelsOwnedByAnotherInstance', () => {
    expect(
      windowsToClose({ ...base, owns: (m) => m !== 'm', partials: [meta(0, 1)], watermarkOf: () => 5000 }),
    ).toEqual([]);
  });

  it('shouldMergeOnlyPartialsOfTheProfileMostEventsWereCountedOn', () => {
    const [w] = windowsToClose({
      ...base,
      partials: [
        meta(0, 1, { profileId: 'old', events: 5 }),
        meta(1, 1, { profileId: 'new', events: 8 }),
        meta(2, 1, { profileId: 'new', events: 1 }),
      ],
      watermarkOf: () => 5000,
    });
    expect(w!.profileId).toBe('new');
    expect(w!.partials.map((p) => p.partition)).toEqual([1, 2]);
    expect(w!.excluded.map((p) => p.partition)).toEqual([0]);
  });
});

describe('ownerPartition', () => {
  it('shouldBeStableAndWithinThePartitionCount', () => {
    expect(ownerPartition('fraud-model', 6)).toBe(ownerPartition('fraud-model', 6));
    for (const m of ['a', 'b', 'c', 'model-42']) expect(ownerPartition(m, 3)).toBeLessThan(3);
  });
});
