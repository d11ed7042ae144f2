import type { Entry, KeyValueStore, RangeOptions, WriteOp } from './key-value-store.ts';

export interface ChangeLoggingOptions {
  /**
   * Which keys go to the changelog. Keys derived from others (an index) can be left out and rebuilt on
   * restore, which keeps the changelog, and the transaction of every batch, smaller. @default every key
   */
  isLogged?: (key: string) => boolean;
}

/**
 * Records every write of logged keys as a changelog record (Kafka Streams' ChangeLoggingKeyValueBytesStore).
 * Records collapse per key: the changelog topic is compacted, so only the last write of a batch matters.
 * The caller drains the records into the batch's Kafka transaction.
 */
export class ChangeLoggingStore implements KeyValueStore {
  private readonly changes = new Map<string, Buffer | null>();
  private readonly isLogged: (key: string) => boolean;

  constructor(
    private readonly inner: KeyValueStore,
    options: ChangeLoggingOptions = {},
  ) {
    this.isLogged = options.isLogged ?? (() => true);
  }

  get(key: string): Promise<Buffer | undefined> {
    return this.inner.get(key);
  }

  getMany(keys: readonly string[]): Promise<(Buffer | undefined)[]> {
    return this.inner.getMany(keys);
  }

  range(options: RangeOptions): Promise<Entry[]> {
    return this.inner.range(options);
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    await this.inner.write(ops);
    for (const { key, value } of ops) if (this.isLogged(key)) this.changes.set(key, value);
  }

  /** The changelog records since the last drain, one per key (null value: a tombstone). */
  drain(): WriteOp[] {
    const records = [...this.changes.entries()].map(([key, value]) => ({ key, value }));
    this.changes.clear();
    return records;
  }

  /** Forgets undrained records, with the batch they belonged to. */
  discard(): void {
    this.changes.clear();
  }
}
