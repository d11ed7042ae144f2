import { randomBytes } from 'node:crypto';
import type { Admin, Kafka } from './client.ts';
import { describe, DriftlineError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { WriteOp } from '../store/key-value-store.ts';

export interface RestoreOptions {
  kafka: Kafka;
  topic: string;
  /** Partition → offset to read up to (exclusive): the read_committed end, fetched after fencing. */
  ends: ReadonlyMap<number, bigint>;
  /** Applies a partition's records in offset order (null value: a tombstone). */
  apply: (partition: number, records: WriteOp[]) => Promise<void>;
  /** Prefix of the throwaway consumer group that reads the changelog; the group is deleted afterwards. */
  groupPrefix: string;
  logger: Logger;
  /** DRIFTLINE_RESTORE_TIMEOUT_MS. @default 600_000 */
  timeoutMs?: number;
}

/** A changelog partition's first and end offsets: it holds no record when they are equal. */
export interface ChangelogRange {
  start: bigint;
  end: bigint;
}

/** The offset ranges of a changelog's partitions among `partitions`, read after fencing (see changelogEnds). */
export async function changelogRanges(
  admin: Admin,
  topic: string,
  partitions: readonly number[],
): Promise<Map<number, ChangelogRange>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const wanted = new Set(partitions);
  return new Map(
    offsets
      .filter((o) => wanted.has(o.partition))
      .map((o) => [o.partition, { start: BigInt(o.low), end: BigInt(o.high) }] as const),
  );
}

/**
 * End offsets of a changelog's partitions among `partitions`. Read after fencing: the fenced producer's open
 * transaction is aborted by then, so the end is that of committed data. With `skipEmpty`, partitions holding
 * no record (end = start) are left out, since no batch would ever report reaching their end.
 */
export async function changelogEnds(
  admin: Admin,
  topic: string,
  partitions: readonly number[],
  { skipEmpty = false } = {},
): Promise<Map<number, bigint>> {
  const ranges = await changelogRanges(admin, topic, partitions);
  return new Map(
    [...ranges].filter(([, r]) => !skipEmpty || r.end > r.start).map(([p, r]) => [p, r.end] as const),
  );
}

/** The non-empty partitions' ends, with an admin client of its own, for callers that hold none. */
export async function readChangelogEnds(
  kafka: Kafka,
  topic: string,
  partitions: readonly number[],
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await changelogEnds(admin, topic, partitions, { skipEmpty: true });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The name every restore group starts with, so that a leftover one (a crash mid-restore) can be found. */
export const restoreGroupPrefix = (groupPrefix: string): string => `${groupPrefix}-restore-`;

/**
 * Deletes the restore groups of `groupPrefix` that have no member: the one a restore just used and any a
 * crashed restore left. A group still in use (another instance restoring) is refused by the broker as not
 * empty and stays. kafkajs cannot fetch without a group (no assign()), so deleting it is what keeps restarts
 * from leaving groups behind.
 */
export async function deleteRestoreGroups(kafka: Kafka, groupPrefix: string): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const { groups } = await admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(restoreGroupPrefix(groupPrefix)));
    if (ours.length > 0) await admin.deleteGroups(ours).catch(() => undefined);
  } catch {
    // Best effort: a group left behind costs broker memory, never correctness.
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** A changelog could not be read to its end in time. Retriable: the partition is restored again. */
export class RestoreError extends DriftlineError {
  constructor(topic: string, message: string, cause?: unknown) {
    super(`restoring ${topic}: ${message}`, { retriable: true, cause });
  }
}

/**
 * Replays changelog partitions from their beginning to the given ends into local stores, with a read_committed
 * consumer, so aborted writes of a crashed instance never come back. kafkajs has no `assign()`: a consumer in
 * a fresh group (it never commits, so the group vanishes) pauses the partitions it does not need. The end of a
 * partition is detected from the batch-end events, which kafkajs also emits for batches of control records
 * only (every committed transaction ends with a commit marker).
 * @returns records applied per partition.
 * @throws RestoreError (retriable) on timeout or a consumer crash.
 */
export async function restoreChangelog(o: RestoreOptions): Promise<Map<number, number>> {
  const counts = new Map<number, number>([...o.ends.keys()].map((p) => [p, 0]));
  const pending = new Set([...o.ends.entries()].filter(([, end]) => end > 0n).map(([p]) => p));
  const applied = new Map<number, bigint>();
  if (pending.size === 0) return counts;
  const consumer = o.kafka.consumer({
    groupId: `${restoreGroupPrefix(o.groupPrefix)}${randomBytes(6).toString('hex')}`,
    maxBytesPerPartition: 4 << 20,
    // A finite log read to its end: each fetch answers at once rather than waiting for the deployment's minimum.
    minBytes: 1,
    maxWaitTimeInMs: 200,
  });
  let finish!: () => void;
  let fail!: (e: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
  const markDone = (partition: number) => {
    if (!pending.delete(partition)) return;
    consumer.pause([{ topic: o.topic, partitions: [partition] }]);
    if (pending.size === 0) finish();
  };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const idle = (payload.memberAssignment[o.topic] ?? []).filter((p) => !pending.has(p));
    if (idle.length > 0) consumer.pause([{ topic: o.topic, partitions: idle }]);
  });
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const end = o.ends.get(payload.partition);
    if (payload.topic === o.topic && end !== undefined && BigInt(payload.lastOffset) + 1n >= end) {
      markDone(payload.partition);
    }
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => fail(payload.error));
  const timer = setTimeout(
    () => fail(new Error(`still missing partitions ${[...pending]}`)),
    o.timeoutMs ?? 600_000,
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [o.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = o.ends.get(batch.partition);
        if (end === undefined || !pending.has(batch.partition)) return;
        // This group never commits: if it rebalances, kafkajs starts over from the beginning. Records are
        // applied once each all the same, in offset order.
        const from = applied.get(batch.partition) ?? -1n;
        const inRange = batch.messages.filter((m) => BigInt(m.offset) > from && BigInt(m.offset) < end);
        // A compacted topic holds no null key; skipping one keeps a stray record from becoming key ''.
        const fresh = inRange.filter((m) => m.key !== null);
        const records = fresh.map((m) => ({ key: m.key!.toString('utf8'), value: m.value }));
        if (records.length > 0) await o.apply(batch.partition, records);
        if (inRange.length > 0) applied.set(batch.partition, BigInt(inRange[inRange.length - 1]!.offset));
        counts.set(batch.partition, (counts.get(batch.partition) ?? 0) + records.length);
      },
    });
    await finished;
    return counts;
  } catch (error) {
    throw new RestoreError(o.topic, describe(error), error);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await deleteRestoreGroups(o.kafka, o.groupPrefix);
  }
}
