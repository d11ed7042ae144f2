/**
 * Stream time: the largest event timestamp seen so far, per partition, never moving backwards. Kafka Streams'
 * STREAM_TIME clock: windows close on it, so a replay closes them at the same points as the first run.
 */
export class StreamTime {
  private readonly byPartition = new Map<number, number>();

  observe(partition: number, timestamp: number): void {
    const now = this.byPartition.get(partition);
    if (now === undefined || timestamp > now) this.byPartition.set(partition, timestamp);
  }

  /** The partition's stream time, or -Infinity before its first event. */
  of(partition: number): number {
    return this.byPartition.get(partition) ?? Number.NEGATIVE_INFINITY;
  }

  /** Forgets a partition (revoked on rebalance). */
  drop(partition: number): void {
    this.byPartition.delete(partition);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.byPartition);
  }

  static fromJSON(json: Record<string, number>): StreamTime {
    const t = new StreamTime();
    for (const [p, ts] of Object.entries(json)) t.byPartition.set(Number(p), ts);
    return t;
  }
}
