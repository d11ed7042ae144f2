import { describe, expect, it } from 'vitest';
import { TumblingWindows } from '../../../services/core/src/windows/tumbling-windows.ts';
import {
  PartitionProcessor,
  type DecodedMessage,
  type OpenWindow,
} from '../../../services/drift-monitor/src/processor.ts';
import { WindowPartial } from '../../../services/drift-monitor/src/window-partials.ts';
import { events, profileOf } from './helpers.ts';

const profile = profileOf(events({ seed: 1, count: 2000 }));
const windows = TumblingWindows.ofSizeAndGrace(1000, 200);
const lookup = (m: string, v: string) => (m === 'm' && v === 'v1' ? profile : undefined);
const messages = (evs: ReturnType<typeof events>, firstOffset = 0): DecodedMessage[] =>
  evs.map((event, i) => ({ offset: firstOffset + i, event }));

describe('PartitionProcessor', () => {
  it('shouldPutEachEventInItsEventTimeWindowAndMarkTouchedWindowsWithTheLastOffset', () => {
    const p = new PartitionProcessor(0, windows);
    const out = p.process(messages(events({ seed: 2, count: 150, stepMs: 10 })), lookup);
    expect(out.applied).toBe(150);
    expect(out.touched.map((w) => [w.window.start, w.partial.events, w.through])).toEqual([
      [0, 100, 149],
      [1000, 50, 149],
    ]);
    expect(out.streamTime).toBe(1490);
    expect(out.modelTimes).toEqual(new Map([['m', 1490]]));
  });

  it('shouldDropAnEventAsLateWhenStreamTimePassedItsWindowEndPlusGrace', () => {
    const p = new PartitionProcessor(0, windows);
    const [a, b, c] = events({ seed: 3, count: 3 });
    const out = p.process(
      messages([
        { ...a!, timestamp: 1500 },
        { ...b!, timestamp: 1199 },
        { ...c!, timestamp: 900 },
      ]),
      lookup,
    );
    // 1199 is in [1000, 2000); 900 is in [0, 1000), closed at 1200 but stream time is 1500.
    expect(out.late).toBe(1);
    expect(out.applied).toBe(2);
  });

  it('shouldSkipEventsAlreadyInTheStoredPartialWhenABatchIsReplayed', () => {
    const evs = events({ seed: 4, count: 80, stepMs: 10 });
    const first = new PartitionProcessor(0, windows);
    const original = first.process(messages(evs), lookup);
    // A crash after the write, before the commit: restore the written state, replay from an older offset.
    const stored = original.touched.map((w): OpenWindow => ({
      ...w,
      partial: WindowPartial.fromJSON(profile, w.partial.toJSON()),
    }));
    const second = new PartitionProcessor(0, windows, { modelTimes: original.modelTimes, open: stored });
    const replay = second.process(messages(evs.slice(30), 30), lookup);
    expect(replay.replayed).toBe(50);
    expect(replay.applied).toBe(0);
    expect(second.openWindows[0]!.partial.toJSON()).toEqual(original.touched[0]!.partial.toJSON());
  });

  it('shouldCountEventsOfAVersionWithoutProfileAndUndecodableMessages', () => {
    const p = new PartitionProcessor(0, windows);
    const out = p.process(
      [...messages(events({ seed: 5, count: 3, version: 'v9' })), { offset: 3, event: null }],
      lookup,
    );
    expect(out.unprofiled.get('m\u0000v9')?.count).toBe(3);
    expect(out.undecodable).toBe(1);
    expect(out.lastOffset).toBe(3);
    expect(out.touched).toEqual([]);
  });

  it('shouldWindowAModelADayBehindAnotherAsIfItWereAlone', () => {
    const p = new PartitionProcessor(0, windows);
    const day = 86_400_000;
    const ahead = events({ seed: 7, count: 50, stepMs: 10, model: 'a', startMs: 7 * day });
    const behind = events({ seed: 8, count: 50, stepMs: 10, startMs: 6 * day });
    const lookupAny = (_m: string, v: string) => (v === 'v1' ? profile : undefined);
    const out = p.process(messages([...ahead, ...behind]), lookupAny);
    expect([out.late, out.applied]).toEqual([0, 100]);
    expect(out.modelTimes).toEqual(
      new Map([
        ['a', 7 * day + 490],
        ['m', 6 * day + 490],
      ]),
    );
    // A week-old backfill of a third model after live traffic: windowed on its own clock too.
    const backfill = events({ seed: 9, count: 30, stepMs: 10, model: 'b', startMs: 0 });
    expect(p.process(messages(backfill, 100), lookupAny).late).toBe(0);
    // The same model's own late event is still late.
    const [old] = events({ seed: 10, count: 1 });
    expect(p.process(messages([{ ...old!, model_id: 'a', timestamp: 0 }], 200), lookupAny).late).toBe(1);
  });

  it('shouldCountARePredictionOnceInItsWindowWhenItIsSentAgain', () => {
    const evs = events({ seed: 11, count: 100, stepMs: 5 });
    const p = new PartitionProcessor(0, windows);
    const out = p.process(messages([...evs, evs[3]!, evs[70]!]), lookup);
    expect([out.applied, out.duplicates]).toEqual([100, 2]);
    expect(out.touched[0]!.partial.events).toBe(100);
    expect(out.touched[0]!.newIds).toHaveLength(100);
  });

  it('shouldRememberIdsRestoredWithTheWindowAndKeepItsIdsBounded', () => {
    const evs = events({ seed: 12, count: 40, stepMs: 5 });
    const first = new PartitionProcessor(0, windows, undefined, { maxIds: 30 });
    const a = first.process(messages(evs.slice(0, 35)), lookup);
    expect([a.applied, a.untracked]).toEqual([35, 5]);
    const stored = a.touched.map((w): OpenWindow => ({
      ...w,
      ids: new Set(w.newIds),
      partial: WindowPartial.fromJSON(profile, w.partial.toJSON()),
    }));
    const second = new PartitionProcessor(
      0,
      windows,
      { modelTimes: a.modelTimes, open: stored },
      { maxIds: 30 },
    );
    // A re-send of a remembered id is dropped; one beyond the bound is counted again (the stated limit).
    const b = second.process(messages([evs[0]!, evs[34]!, ...evs.slice(35)], 35), lookup);
    expect([b.duplicates, b.untracked, b.applied]).toEqual([1, 6, 6]);
  });

  it('shouldEvictOnlyWindowsClosedByStreamTime', () => {
    const p = new PartitionProcessor(0, windows);
    p.process(messages(events({ seed: 6, count: 130, stepMs: 10 })), lookup);
    expect(p.evictClosed().map((w) => w.window.start)).toEqual([0]);
    expect(p.openWindows.map((w) => w.window.start)).toEqual([1000]);
  });
});
