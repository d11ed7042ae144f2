import { describe, expect, it } from 'vitest';
import { PerformanceProcessor } from '../../../services/performance-monitor/src/processor.ts';
import type { ChangelogEntry } from '../../../services/performance-monitor/src/window-state-store.ts';
import { MIN, T0, cls, finalRows, options, value } from './helpers.ts';

function changelogOf(
  p: PerformanceProcessor,
  records: ReturnType<typeof cls>[],
  revision: number,
): ChangelogEntry[] {
  records.forEach((r) => p.process(r));
  return p.flush(revision, String(revision)).changelog;
}

describe('PerformanceProcessor.restore', () => {
  it('shouldContinueExactlyWhereTheCommittedStateLeftOff', () => {
    const o = options({ rollingSize: 3, rollingEvery: 3 });
    const first = new PerformanceProcessor(o);
    const log = changelogOf(first, [cls(T0, 'a', 'a'), cls(T0 + MIN, 'a', 'b')], 2);
    const restored = new PerformanceProcessor(o);
    log.forEach((e) => restored.restore(e));
    expect(restored.nextOffset).toBe('2');
    restored.process(cls(T0 + 2 * MIN, 'b', 'b'));
    const rows = finalRows([restored.flush(3, '3')]);
    expect(value(rows, 'count', T0)).toBe(3);
    expect(value(rows, 'accuracy', T0)).toBeCloseTo(2 / 3, 12);
    expect(value(rows, 'accuracy', 3, { size: 'last_3' })).toBeCloseTo(2 / 3, 12);
  });

  it('shouldForgetWhatATombstoneRemoved', () => {
    const o = options({ windows: [{ ms: 5 * MIN, name: '5m' }], allowedLatenessMs: 0 });
    const p = new PerformanceProcessor(o);
    const log = [
      ...changelogOf(p, [cls(T0, 'a', 'a')], 1),
      ...changelogOf(p, [cls(T0 + 6 * MIN, 'a', 'a')], 2), // closes [0, 5m): tombstones
    ];
    const restored = new PerformanceProcessor(o);
    log.forEach((e) => restored.restore(e));
    expect(restored.stats()).toEqual(p.stats());
    expect(restored.stats()).toMatchObject({ windows: 1, buckets: 1 });
  });

  it('shouldDropWindowSizesAndRollingWindowsThatAreNoLongerConfigured', () => {
    const before = options({ rollingSize: 3, rollingEvery: 3 });
    const log = changelogOf(new PerformanceProcessor(before), [cls(T0, 'a', 'a')], 1);
    const after = new PerformanceProcessor(
      options({ windows: [{ ms: 5 * MIN, name: '5m' }], rollingSize: 4, rollingEvery: 4 }),
    );
    log.forEach((e) => after.restore(e));
    expect(after.stats().windows).toBe(1);
    expect([...after.models.get('m')!.series.values()][0]!.rolling).toBeUndefined();
  });
});
