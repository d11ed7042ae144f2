import { rm } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import { describe } from '../errors.ts';
import { StoreError } from './errors.ts';
import type { ClosableKeyValueStore, Entry, RangeOptions, WriteOp } from './key-value-store.ts';

export interface LevelDbOptions {
  /** LRU cache of uncompressed blocks, per store. @default 8 MiB */
  cacheSize?: number;
  /** Memtable size before a flush to a sorted table file. @default 4 MiB */
  writeBufferSize?: number;
}

/**
 * The persistent inner store: one LevelDB database in one folder (the Kafka Streams analogue is one RocksDB
 * per task). Memory is bounded by the cache and memtable, not by the number of keys. LevelDB's own bloom
 * filters (10 bits per key) keep lookups of absent keys, the common case for new ids, off the disk.
 */
export class LevelDbStore implements ClosableKeyValueStore {
  private constructor(
    readonly location: string,
    private readonly db: ClassicLevel<string, Buffer>,
  ) {}

  /**
   * Opens (creating if missing) the database in `location`.
   * @throws StoreError (not retriable) when the folder is locked by another process or corrupt.
   */
  static async open(location: string, options: LevelDbOptions = {}): Promise<LevelDbStore> {
    const db = new ClassicLevel<string, Buffer>(location, {
      keyEncoding: 'utf8',
      valueEncoding: 'buffer',
      cacheSize: options.cacheSize ?? 8 << 20,
      writeBufferSize: options.writeBufferSize ?? 4 << 20,
    });
    try {
      await db.open();
    } catch (error) {
      const hint = /lock/i.test(describe(error) + describe((error as Error).cause))
        ? ' (another process holds it: give each instance its own DRIFTLINE_JOINER_INSTANCE_ID)'
        : '';
      throw new StoreError(location, `cannot open${hint}: ${describe(error)}`, error);
    }
    return new LevelDbStore(location, db);
  }

  /** Deletes the folder: the next open starts empty. The store must be closed (or never opened). */
  static async destroy(location: string): Promise<void> {
    await rm(location, { recursive: true, force: true });
  }

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.db.get(key)) ?? undefined;
  }

  async getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    if (keys.length === 0) return [];
    return (await this.db.getMany([...keys])).map((v) => v ?? undefined);
  }

  async range({ gte, lt, limit }: RangeOptions): Promise<Entry[]> {
    const entries = await this.db.iterator({ gte, lt, limit: limit ?? -1 }).all();
    return entries.map(([key, value]) => ({ key, value }));
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    // The chained form skips one operation object per write: about a quarter less CPU than `batch(array)`.
    const batch = this.db.batch();
    for (const { key, value } of ops) {
      if (value === null) batch.del(key);
      else batch.put(key, value);
    }
    await batch.write();
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
