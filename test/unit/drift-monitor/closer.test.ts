import { describe, expect, it } from 'vitest';
import {
  ownerPartition,
  passedAClosingPoint,
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

describe('passedAClosingPoint', () => {
  const HOUR = 3_600_000;
  const GRACE = 300_000;

  it('shouldSayYesWhenAStreamTimePassesAWindowEndPlusGrace', () => {
    expect(passedAClosingPoint(HOUR + GRACE - 1, HOUR + GRACE, HOUR, GRACE)).toBe(true);
    expect(passedAClosingPoint(HOUR, 3 * HOUR + GRACE, HOUR, GRACE)).toBe(true);
  });

  it('shouldSayNoWhenTheStreamTimeMovesWithinOneClosingInterval', () => {
    expect(passedAClosingPoint(HOUR + GRACE, 2 * HOUR + GRACE - 1, HOUR, GRACE)).toBe(false);
    expect(passedAClosingPoint(HOUR, HOUR + GRACE - 1, HOUR, GRACE)).toBe(false);
    expect(passedAClosingPoint(2 * HOUR, HOUR, HOUR, GRACE)).toBe(false);
  });

  it('shouldLeaveAnUnknownEarlierTimeToTheTimer', () => {
    expect(passedAClosingPoint(undefined, 5 * HOUR, HOUR, GRACE)).toBe(false);
    expect(passedAClosingPoint(-Infinity, 5 * HOUR, HOUR, GRACE)).toBe(false);
  });
});
