/**
 * A sorted key-value store with string keys and binary values, in the shape of Kafka Streams' KeyValueStore:
 * implementations are layered (inner LevelDB → batch overlay → change logging), each adding one concern.
 * Writes are applied in atomic batches; reads of a layer see every write made through it.
 */
export interface KeyValueStore {
  get(key: string): Promise<Buffer | undefined>;
  /** One lookup for many keys: results in the order of `keys`. */
  getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]>;
  /** Entries with `gte <= key < lt`, in key order, at most `limit` of them. */
  range(options: RangeOptions): Promise<Entry[]>;
  /** Applies the operations atomically, in order (a later write of a key wins). */
  write(ops: readonly WriteOp[]): Promise<void>;
}

export interface RangeOptions {
  gte: string;
  lt: string;
  /** @default unlimited */
  limit?: number;
}

export interface Entry {
  key: string;
  value: Buffer;
}

/** A put, or a delete when `value` is null (a tombstone, as on a compacted changelog). */
export interface WriteOp {
  key: string;
  value: Buffer | null;
}

/** A store that owns files or handles. */
export interface ClosableKeyValueStore extends KeyValueStore {
  close(): Promise<void>;
}

/**
 * The `lt` bound of a prefix scan: the prefix with its last character incremented, which sorts after every key
 * starting with the prefix in UTF-16 order (memory) and UTF-8 byte order (LevelDB) alike.
 * @example prefixEnd('s:') // 's;'
 */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
