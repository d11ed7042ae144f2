import { describe, expect, it } from 'vitest';
import { BatchOverlayStore } from '../../../../services/core/src/store/batch-overlay-store.ts';
import { MemoryStore } from '../../../../services/core/src/store/memory-store.ts';

const b = (s: string) => Buffer.from(s);

async function committed(keys: string[]): Promise<MemoryStore> {
  const inner = new MemoryStore();
  await inner.write(keys.map((key) => ({ key, value: b(key) })));
  return inner;
}

describe('BatchOverlayStore', () => {
  it('shouldLeaveTheInnerStoreUntouchedUntilFlushed', async () => {
    const inner = await committed(['a']);
    const overlay = new BatchOverlayStore(inner);
    await overlay.write([
      { key: 'a', value: null },
      { key: 'b', value: b('new') },
    ]);
    expect(await overlay.get('a')).toBeUndefined();
    expect((await inner.get('a'))?.toString()).toBe('a');
    expect(await inner.get('b')).toBeUndefined();
    await overlay.flush();
    expect(await inner.get('a')).toBeUndefined();
    expect((await inner.get('b'))?.toString()).toBe('new');
    expect(overlay.size).toBe(0);
  });

  it('shouldSeeTheCommittedStateAgainWhenDiscarded', async () => {
    const inner = await committed(['a']);
    const overlay = new BatchOverlayStore(inner);
    await overlay.write([{ key: 'a', value: b('changed') }]);
    overlay.discard();
    expect((await overlay.get('a'))?.toString()).toBe('a');
  });

  it('shouldFillALimitedRangeWhenPendingDeletesHideCommittedKeys', async () => {
    const inner = await committed(['k1', 'k2', 'k3', 'k4', 'k5']);
    const overlay = new BatchOverlayStore(inner);
    await overlay.write([
      { key: 'k1', value: null },
      { key: 'k2', value: null },
      { key: 'k25', value: b('p') },
    ]);
    const got = await overlay.range({ gte: 'k', lt: 'l', limit: 3 });
    expect(got.map((e) => e.key)).toEqual(['k25', 'k3', 'k4']);
  });

  it('shouldReportNetWritesWhenAsked', async () => {
    const overlay = new BatchOverlayStore(new MemoryStore());
    await overlay.write([
      { key: 'a', value: b('1') },
      { key: 'a', value: null },
    ]);
    expect(overlay.pendingOps()).toEqual([{ key: 'a', value: null }]);
  });
});
