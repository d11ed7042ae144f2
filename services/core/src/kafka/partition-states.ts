/**
 * The state of each source partition a consumer owns, when that state is stored outside Kafka (the partial
 * window states the drift monitor and the estimator write to ClickHouse before committing their offsets):
 * read back on first use after an assignment, and forgotten on every rebalance, because another member may
 * have advanced a partition's stored state in between (kafkajs does not say which partitions were revoked).
 */
export class PartitionStates<S> {
  private readonly states = new Map<number, S>();

  /** @param restore - reads a partition's state from its store */
  constructor(private readonly restore: (partition: number) => Promise<S>) {}

  /** The partition's state, restored when this instance has none since the last assignment. */
  async get(partition: number): Promise<S> {
    const known = this.states.get(partition);
    if (known !== undefined) return known;
    const restored = await this.restore(partition);
    this.states.set(partition, restored);
    return restored;
  }

  /** After any rebalance: every state in memory may be stale. */
  clear(): void {
    this.states.clear();
  }
}
