import { describe, expect, it } from 'vitest';
import { ChangeLoggingStore } from '../../../services/core/src/store/change-logging-store.ts';
import { MemoryStore } from '../../../services/core/src/store/memory-store.ts';
import { isLoggedKey, JoinStore, restoreOps } from '../../../services/label-joiner/src/join-store.ts';
import type { JoinState } from '../../../services/label-joiner/src/join-state.ts';

const pending = (expiresAt: number): JoinState => ({
  kind: 'prediction',
  expiresAt,
  prediction: {
    model_id: 'm',
    model_version: 'v',
    predicted_at: expiresAt - 100,
    predicted_label: 'a',
    predicted_value: null,
    scores: null,
    tags: null,
  },
});
const marker = (expiresAt: number): JoinState => ({
  kind: 'joined',
  expiresAt,
  prediction: null,
  label: null,
  corrections: 0,
});

/** Buckets of 10 ms: an entry is due once the watermark passed the end of its deadline's bucket. */
const options = { bucketMs: 10 };

async function storeWith(entries: [string, JoinState][], kv = new MemoryStore()) {
  const store = new JoinStore(kv, options);
  await store.load();
  for (const [id, s] of entries) store.stage(id, undefined, s);
  await store.writeStaged();
  return { kv, store };
}

const dueIds = async (store: JoinStore, watermark: number, limit = 100) =>
  (await store.due(watermark, limit)).entries.map((d) => d.id);

describe('JoinStore', () => {
  it('shouldReturnEntriesOfBucketsThatEndedBeforeTheWatermarkOldestFirst', async () => {
    const { store } = await storeWith([
      ['c', pending(300)],
      ['a', pending(100)],
      ['b', pending(205)],
    ]);
    expect(await dueIds(store, 209)).toEqual(['a']);
    expect(await dueIds(store, 215)).toEqual(['a', 'b']);
    expect(await dueIds(store, -Infinity)).toEqual([]);
  });

  it('shouldReportMoreWhenTheLimitStopsTheScan', async () => {
    const { store } = await storeWith([['a', pending(100)]]);
    store.stage('b', undefined, pending(200));
    await store.writeStaged();
    const first = await store.due(1000, 1);
    expect(first.entries.map((d) => d.id)).toEqual(['a']);
    expect(first.more).toBe(true);
  });

  it('shouldFollowTheEntryWhenItsDeadlineMoves', async () => {
    const { store } = await storeWith([['a', pending(100)]]);
    store.stage('a', pending(100), marker(500));
    await store.writeStaged();
    expect(await dueIds(store, 400)).toEqual([]);
    const later = await store.due(510, 10);
    expect(later.entries.map((d) => [d.id, d.state.kind])).toEqual([['a', 'joined']]);
  });

  it('shouldDropReferencesOfDeletedEntriesWhenScanned', async () => {
    const { kv, store } = await storeWith([['a', pending(100)]]);
    store.stage('a', pending(100), null);
    await store.writeStaged();
    expect(await dueIds(store, 1000)).toEqual([]);
    await store.writeStaged();
    expect(await kv.range({ gte: 'x:', lt: 'x;' })).toEqual([]);
  });

  it('shouldExpireAnIdOnceWhenTwoReferencesPointAtItsBucket', async () => {
    const { store } = await storeWith([['a', pending(101)]]);
    store.stage('a', pending(101), pending(102));
    await store.writeStaged();
    expect(await dueIds(store, 1000)).toEqual(['a']);
  });

  it('shouldCountEntriesByKindInTheMeta', async () => {
    const { kv, store } = await storeWith([
      ['a', pending(100)],
      ['b', pending(100)],
    ]);
    store.stage('a', pending(100), marker(200));
    store.stage('b', pending(100), null);
    store.watermark = { predictions: 10, labels: 5, watermark: 5 };
    await store.writeStaged();
    const reloaded = new JoinStore(kv, options);
    await reloaded.load();
    expect(reloaded.meta).toMatchObject({
      predictions: 10,
      labels: 5,
      watermark: 5,
      counts: { prediction: 0, label: 0, joined: 1 },
    });
  });

  it('shouldLogStateAndMetaButNotTheIndex', async () => {
    const logging = new ChangeLoggingStore(new MemoryStore(), { isLogged: isLoggedKey });
    const store = new JoinStore(logging, options);
    await store.load();
    store.stage('a', undefined, pending(100));
    await store.writeStaged();
    expect(logging.drain().map((r) => r.key)).toEqual(['s:a', 'm:meta']);
  });

  it('shouldRebuildTheIndexFromTheChangelogWhenRestoring', async () => {
    const logging = new ChangeLoggingStore(new MemoryStore(), { isLogged: isLoggedKey });
    const original = new JoinStore(logging, options);
    await original.load();
    original.stage('a', undefined, pending(100));
    original.stage('b', undefined, pending(150));
    await original.writeStaged();
    const firstBatch = logging.drain();
    original.stage('a', pending(100), marker(900));
    original.stage('b', pending(150), null);
    original.stage('c', undefined, pending(120));
    await original.writeStaged();
    const secondBatch = logging.drain();
    // Replay both batches' changelog records, in order, into an empty store, as a restore does.
    const restored = new MemoryStore();
    await restored.write(restoreOps(firstBatch, 0, options.bucketMs));
    await restored.write(restoreOps(secondBatch, 1, options.bucketMs));
    const store = new JoinStore(restored, options);
    await store.load();
    const due = await store.due(1000, 10);
    expect(due.entries.map((d) => [d.id, d.state.kind])).toEqual([
      ['c', 'prediction'],
      ['a', 'joined'],
    ]);
    expect(store.meta.counts).toEqual({ prediction: 1, label: 0, joined: 1 });
  });
});
