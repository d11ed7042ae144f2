import type { Admin } from '../kafka/client.ts';
import type { SourceLag } from './window-finality.ts';

/**
 * Which partitions of a source topic hold records a consumer group has not committed yet: the input of the
 * window-finality rule. An empty partition never lags; one the group never committed lags when it has records.
 */
export async function readSourceLag(admin: Admin, groupId: string, topic: string): Promise<SourceLag> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [group] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = new Map((group?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  return sourceLag(ends, committed);
}

/** The pure part of {@link readSourceLag}: `committed` is -1 (or absent) for a partition never committed. */
export function sourceLag(
  ends: readonly { partition: number; high: string; low: string }[],
  committed: ReadonlyMap<number, bigint>,
): SourceLag {
  const lagging = ends
    .filter((e) => BigInt(e.high) !== BigInt(e.low) && (committed.get(e.partition) ?? -1n) < BigInt(e.high))
    .map((e) => e.partition);
  return { partitions: ends.length, lagging: new Set(lagging) };
}
