import type { Entry, KeyValueStore, RangeOptions, WriteOp } from './key-value-store.ts';

/**
 * Holds a batch's writes in memory over an inner store, so reads see the batch's own writes while the inner
 * store stays at the last committed state. `flush` applies the batch once its Kafka transaction committed;
 * `discard` forgets it when the transaction failed. Memory is bounded by the batch, not by the store.
 */
export class BatchOverlayStore implements KeyValueStore {
  private readonly pending = new Map<string, Buffer | null>();

  constructor(private readonly inner: KeyValueStore) {}

  /** Keys written since the last flush or discard. */
  get size(): number {
    return this.pending.size;
  }

  async get(key: string): Promise<Buffer | undefined> {
    if (this.pending.has(key)) return this.pending.get(key) ?? undefined;
    return this.inner.get(key);
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    // A batch reads its keys before it writes any: nothing to merge then.
    if (this.pending.size === 0) return this.inner.getMany(keys);
    const misses = keys.filter((k) => !this.pending.has(k));
    const found = await this.inner.getMany(misses);
    const fromInner = new Map(misses.map((k, i) => [k, found[i]]));
    return keys.map((k) => (this.pending.has(k) ? (this.pending.get(k) ?? undefined) : fromInner.get(k)));
  }

  async range({ gte, lt, limit }: RangeOptions): Promise<Entry[]> {
    const own = [...this.pending.entries()].filter(([k]) => k >= gte && k < lt);
    // Each pending key hides at most one inner entry, so this many inner entries always cover `limit`.
    const innerLimit = limit === undefined ? undefined : limit + own.length;
    const inner = await this.inner.range({ gte, lt, limit: innerLimit });
    const merged = inner.filter((e) => !this.pending.has(e.key));
    for (const [key, value] of own) if (value !== null) merged.push({ key, value });
    merged.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return limit === undefined ? merged : merged.slice(0, limit);
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    for (const { key, value } of ops) this.pending.set(key, value);
  }

  /** The batch's net writes, one per key. */
  pendingOps(): WriteOp[] {
    return [...this.pending.entries()].map(([key, value]) => ({ key, value }));
  }

  /** Applies the batch to the inner store, atomically, then starts a new one. */
  async flush(): Promise<void> {
    const ops = this.pendingOps();
    this.pending.clear();
    await this.inner.write(ops);
  }

  /** Forgets the batch: the next reads see the inner store again. */
  discard(): void {
    this.pending.clear();
  }
}
