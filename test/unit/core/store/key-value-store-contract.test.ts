import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchOverlayStore } from '../../../../services/core/src/store/batch-overlay-store.ts';
import { ChangeLoggingStore } from '../../../../services/core/src/store/change-logging-store.ts';
import type { KeyValueStore } from '../../../../services/core/src/store/key-value-store.ts';
import { prefixEnd } from '../../../../services/core/src/store/key-value-store.ts';
import { LevelDbStore } from '../../../../services/core/src/store/level-db-store.ts';
import { MemoryStore } from '../../../../services/core/src/store/memory-store.ts';

// One contract for every KeyValueStore (Kafka Streams' AbstractKeyValueStoreTest): each layer must behave like
// the plain map it stands for.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function levelDb(): Promise<KeyValueStore> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kv-'));
  const store = await LevelDbStore.open(dir);
  cleanups.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return store;
}

async function overlayWithCommittedData(): Promise<KeyValueStore> {
  // Half the keys already committed below, half in the overlay: reads must merge both.
  const inner = new MemoryStore();
  await inner.write([{ key: 'zz-committed', value: Buffer.from('c') }]);
  const overlay = new BatchOverlayStore(inner);
  await overlay.write([{ key: 'zz-committed', value: null }]);
  return overlay;
}

const factories: [string, () => Promise<KeyValueStore>][] = [
  ['MemoryStore', async () => new MemoryStore()],
  ['LevelDbStore', levelDb],
  ['BatchOverlayStore', overlayWithCommittedData],
  ['ChangeLoggingStore', async () => new ChangeLoggingStore(new MemoryStore())],
  [
    'ChangeLoggingStore over BatchOverlayStore over LevelDbStore',
    async () => new ChangeLoggingStore(new BatchOverlayStore(await levelDb())),
  ],
];

const b = (s: string) => Buffer.from(s);

describe.each(factories)('KeyValueStore contract: %s', (_name, create) => {
  it('shouldReturnWhatWasPutWhenReadBack', async () => {
    const store = await create();
    await store.write([
      { key: 'a', value: b('1') },
      { key: 'b', value: b('2') },
    ]);
    expect((await store.get('a'))?.toString()).toBe('1');
    expect((await store.getMany(['b', 'missing', 'a'])).map((v) => v?.toString())).toEqual([
      '2',
      undefined,
      '1',
    ]);
  });

  it('shouldForgetAKeyWhenDeleted', async () => {
    const store = await create();
    await store.write([{ key: 'a', value: b('1') }]);
    await store.write([{ key: 'a', value: null }]);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.range({ gte: 'a', lt: 'b' })).toEqual([]);
  });

  it('shouldKeepTheLastWriteWhenOneBatchWritesAKeyTwice', async () => {
    const store = await create();
    await store.write([
      { key: 'a', value: b('1') },
      { key: 'a', value: b('2') },
      { key: 'c', value: b('x') },
      { key: 'c', value: null },
    ]);
    expect((await store.get('a'))?.toString()).toBe('2');
    expect(await store.get('c')).toBeUndefined();
  });

  it('shouldScanInKeyOrderWithinBoundsWhenRanged', async () => {
    const store = await create();
    const keys = ['x:0003:c', 'x:0001:a', 's:q', 'x:0002:b', 'x:0010:z', 'y'];
    await store.write(keys.map((key) => ({ key, value: b(key) })));
    const all = await store.range({ gte: 'x:', lt: prefixEnd('x:') });
    expect(all.map((e) => e.key)).toEqual(['x:0001:a', 'x:0002:b', 'x:0003:c', 'x:0010:z']);
    const below = await store.range({ gte: 'x:', lt: 'x:0003', limit: 10 });
    expect(below.map((e) => e.value.toString())).toEqual(['x:0001:a', 'x:0002:b']);
    expect((await store.range({ gte: 'x:', lt: 'x;', limit: 1 })).map((e) => e.key)).toEqual(['x:0001:a']);
  });

  it('shouldReturnNothingWhenEmpty', async () => {
    const store = await create();
    expect(await store.getMany([])).toEqual([]);
    expect(await store.range({ gte: '', lt: '\u007f' })).toEqual([]);
  });
});

describe('prefixEnd', () => {
  it('shouldSortAfterEveryKeyWithThePrefix', () => {
    expect(prefixEnd('s:')).toBe('s;');
    for (const k of ['s:', 's:\uffff', 's:😀', 's:zzz']) expect(k < prefixEnd('s:')).toBe(true);
  });
});
