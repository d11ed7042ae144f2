import type { ClosableKeyValueStore, Entry, RangeOptions, WriteOp } from './key-value-store.ts';

/**
 * A KeyValueStore in a Map, for unit tests and as the model the other stores are checked against. Ranges sort
 * the matching keys on each call: fine for tests, not for millions of keys.
 */
export class MemoryStore implements ClosableKeyValueStore {
  private readonly map = new Map<string, Buffer>();

  get size(): number {
    return this.map.size;
  }

  async get(key: string): Promise<Buffer | undefined> {
    return this.map.get(key);
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    return keys.map((k) => this.map.get(k));
  }

  async range({ gte, lt, limit = Infinity }: RangeOptions): Promise<Entry[]> {
    const keys = [...this.map.keys()].filter((k) => k >= gte && k < lt).sort();
    return keys.slice(0, limit).map((key) => ({ key, value: this.map.get(key)! }));
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    for (const { key, value } of ops) {
      if (value === null) this.map.delete(key);
      else this.map.set(key, value);
    }
  }

  async close(): Promise<void> {}
}
