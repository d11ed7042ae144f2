import { describe, expect, it } from 'vitest';
import { ChangeLoggingStore } from '../../../services/core/src/store/change-logging-store.ts';
import { MemoryStore } from '../../../services/core/src/store/memory-store.ts';
import { isLoggedKey, JoinStore, restoreOps } from '../../../services/label-joiner/src/join-store.ts';
import type { JoinState } from '../../../services/label-joiner/src/join-state.ts';

const pending = (expiresAt: number): JoinState => ({
  kind: 'prediction',
  expiresAt,
  prediction: { model_id: 'm', model_version: 'v', predicted_at: expiresAt - 100, predicted_label: 'a', predicted_value: null, scores: null, tags: null },
});
const marker = (expiresAt: number): JoinState => ({ kind: 'joined', expiresAt, prediction: null, label: null, corrections: 0 });

async function storeWith(entries: [string, JoinState][]) {
  const kv = new MemoryStore();
  const store = new JoinStore(kv);
  await store.load();
  for (const [id, s] of entries) store.stage(id, undefined, s);
  await store.writeStaged();
  return { kv, store };
}

describe('JoinStore', () => {
  it('shouldReturnEntriesDueBeforeTheWatermarkOldestFirst', async () => {
    const { store } = await storeWith([['c', pending(300)], ['a', pending(100)], ['b', pending(200)]]);
    expect((await store.due(300, 10)).map((d) => d.id)).toEqual(['a', 'b']);
    expect((await store.due(301, 1)).map((d) => d.id)).toEqual(['a']);
    expect(await store.due(-Infinity, 10)).toEqual([]);
  });

  it('shouldMoveTheIndexEntryWhenTheDeadlineChanges', async () => {
    const { store } = await storeWith([['a', pending(100)]]);
    store.stage('a', pending(100), marker(500));
    await store.writeStaged();
    expect(await store.due(400, 10)).toEqual([]);
    expect((await store.due(501, 10)).map((d) => d.state.kind)).toEqual(['joined']);
  });

  it('shouldCountEntriesByKindInTheMeta', async () => {
    const { kv, store } = await storeWith([['a', pending(100)], ['b', pending(100)]]);
    store.stage('a', pending(100), marker(200));
    store.stage('b', pending(100), null);
    store.watermark = { predictions: 10, labels: 5, watermark: 5 };
    await store.writeStaged();
    const reloaded = new JoinStore(kv);
    await reloaded.load();
    expect(reloaded.meta).toEqual({ predictions: 10, labels: 5, watermark: 5, counts: { prediction: 0, label: 0, joined: 1 } });
  });

  it('shouldLogStateAndMetaButNotTheIndex', async () => {
    const logging = new ChangeLoggingStore(new MemoryStore(), { isLogged: isLoggedKey });
    const store = new JoinStore(logging);
    await store.load();
    store.stage('a', undefined, pending(100));
    await store.writeStaged();
    expect(logging.drain().map((r) => r.key)).toEqual(['s:a', 'm:meta']);
  });

  it('shouldRebuildTheIndexFromTheChangelogWhenRestoring', async () => {
    const logging = new ChangeLoggingStore(new MemoryStore(), { isLogged: isLoggedKey });
    const original = new JoinStore(logging);
    await original.load();
    original.stage('a', undefined, pending(100));
    original.stage('b', undefined, pending(150));
    await original.writeStaged();
    original.stage('a', pending(100), marker(900));
    original.stage('b', pending(150), null);
    original.stage('c', undefined, pending(120));
    await original.writeStaged();
    // Replay every changelog record of both batches, in order, into an empty store.
    const restored = new MemoryStore();
    const changelog = [...logging.drain()];
    for (const r of changelog) await restored.write(restoreOps(r.key, r.value));
    const store = new JoinStore(restored);
    await store.load();
    expect((await store.due(1000, 10)).map((d) => [d.id, d.state.kind])).toEqual([['c', 'prediction'], ['a', 'joined']]);
  });

  it('shouldSkipAndDropStaleIndexKeysLeftByARestore', async () => {
    const kv = new MemoryStore();
    for (const ops of [restoreOps('s:a', null), restoreOps('s:b', null)]) await kv.write(ops);
    const { store } = await storeWith([]);
    await kv.write([{ key: 'x:0000000000000100:gone', value: Buffer.alloc(0) }]);
    const js = new JoinStore(kv);
    await js.load();
    expect(await js.due(1000, 10)).toEqual([]);
    await js.writeStaged();
    expect(await kv.get('x:0000000000000100:gone')).toBeUndefined();
    expect(store.meta.counts.prediction).toBe(0);
  });
});
