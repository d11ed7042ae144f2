import type { Admin, Kafka, Producer } from '../kafka/client.ts';
import { changelogRanges, restoreChangelog } from '../kafka/changelog-restorer.ts';
import { openFencedProducer } from '../kafka/fenced-producer.ts';
import type { Logger } from '../logger.ts';
import type { WriteOp } from '../store/key-value-store.ts';
import type { PartitionTask } from './partition-task.ts';

/** What a task is built from once its producer fenced the previous owner and its state was restored. */
export interface OpenedPartition {
  partition: number;
  transactionalId: string;
  /** Opened fenced: any previous owner can no longer commit. Owned by the task from now on. */
  producer: Producer;
  /** The changelog's read_committed end when the task opened (what the restored state matches). */
  changelogEnd: bigint | undefined;
  /** Next offset per source topic committed when the task opened: messages below were applied already. */
  floors: Map<string, bigint>;
}

/** The service's part of opening tasks (its state, its restore, its task), as Kafka Streams' StateManager. */
export interface TaskStates<T extends PartitionTask> {
  /**
   * Makes partition p's state ready given its changelog end (after fencing).
   * @returns whether the state must be replayed from the changelog (false: a local store matches the end).
   */
  prepare(partition: number, changelogEnd: bigint): Promise<boolean>;
  /** Applies a partition's changelog records in offset order (null value: a tombstone). */
  restore(partition: number, records: WriteOp[]): Promise<void>;
  /** Builds the task over the prepared and restored state. */
  create(opened: OpenedPartition): Promise<T>;
  /** Lets go of the prepared states of a failed opening. */
  discard(partitions: readonly number[]): Promise<void>;
}

export interface TaskOpenerDeps {
  kafka: Kafka;
  admin: Admin;
  changelogTopic: string;
  /** The consumer group: the committed offsets, and the prefix of the restore's throwaway group. */
  groupId: string;
  transactionalIdOf: (partition: number) => string;
  transactionTimeoutMs: number;
  /** Source topics whose committed offsets become the tasks' floors (none: no floors). */
  sourceTopics: readonly string[];
  /** DRIFTLINE_RESTORE_TIMEOUT_MS. */
  restoreTimeoutMs?: number;
  logger: Logger;
  /** Told what was replayed: records per partition and how long it took. */
  onRestored?: (records: ReadonlyMap<number, number>, ms: number) => void;
}

/**
 * Opens the tasks of newly assigned partitions, in the order that makes a hand-over safe:
 * 1. open each partition's fenced transactional producer: fences the previous owner, whose open transaction is
 *    aborted before this returns, and whose later sends and commits are refused;
 * 2. read the changelog ends (read_committed, so after those aborts);
 * 3. let the service prepare each state (keep a local store that matches its end, or start empty) and replay
 *    the changelog into those that need it (one restore consumer for all partitions);
 * 4. read the group's committed offsets only now, so a transaction that committed just before the fence is
 *    seen (kafkajs' OffsetFetch predates KIP-447's require_stable) and its messages are not applied twice.
 */
export async function openPartitionTasks<T extends PartitionTask>(
  d: TaskOpenerDeps,
  states: TaskStates<T>,
  partitions: readonly number[],
): Promise<Map<number, T>> {
  const producers = new Map<number, Producer>();
  const prepared: number[] = [];
  try {
    const opening = partitions.map(async (p) => {
      const producer = await openFencedProducer(d.kafka, {
        transactionalId: d.transactionalIdOf(p),
        transactionTimeoutMs: d.transactionTimeoutMs,
      });
      producers.set(p, producer);
    });
    // Every open settles before the clean-up below may run, so no producer is left connected.
    for (const r of await Promise.allSettled(opening)) if (r.status === 'rejected') throw r.reason;
    const ranges = await changelogRanges(d.admin, d.changelogTopic, partitions);
    const toRestore = new Map<number, bigint>();
    for (const p of partitions) {
      const { start, end } = ranges.get(p) ?? { start: 0n, end: 0n };
      prepared.push(p);
      // A partition holding no record (start = end) has nothing to replay, and no batch would report its end.
      if ((await states.prepare(p, end)) && end > start) toRestore.set(p, end);
    }
    await restore(d, states, toRestore);
    const floors = await committedOffsets(d, partitions);
    const tasks = new Map<number, T>();
    for (const p of partitions) {
      const opened: OpenedPartition = {
        partition: p,
        transactionalId: d.transactionalIdOf(p),
        producer: producers.get(p)!,
        changelogEnd: ranges.get(p)?.end,
        floors: floors.get(p)!,
      };
      tasks.set(p, await states.create(opened));
    }
    d.logger.info({ partitions, restored: [...toRestore.keys()] }, 'partitions opened');
    return tasks;
  } catch (error) {
    for (const producer of producers.values()) await producer.disconnect().catch(() => undefined);
    await states.discard(prepared).catch(() => undefined);
    throw error;
  }
}

async function restore<T extends PartitionTask>(
  d: TaskOpenerDeps,
  states: TaskStates<T>,
  ends: Map<number, bigint>,
): Promise<void> {
  if (ends.size === 0) return;
  const started = Date.now();
  const counts = await restoreChangelog({
    kafka: d.kafka,
    topic: d.changelogTopic,
    ends,
    groupPrefix: d.groupId,
    timeoutMs: d.restoreTimeoutMs,
    logger: d.logger,
    apply: (p, records) => states.restore(p, records),
  });
  const ms = Date.now() - started;
  d.onRestored?.(counts, ms);
  const records = [...counts.values()].reduce((a, b) => a + b, 0);
  d.logger.info(
    { topic: d.changelogTopic, records, partitions: Object.fromEntries(counts), ms },
    'state restored from the changelog',
  );
}

/** Next offset to read per source topic, per partition (0 when the group never committed there). */
async function committedOffsets(
  d: TaskOpenerDeps,
  partitions: readonly number[],
): Promise<Map<number, Map<string, bigint>>> {
  const out = new Map(partitions.map((p) => [p, new Map<string, bigint>()]));
  if (d.sourceTopics.length === 0) return out;
  const committed = await d.admin.fetchOffsets({ groupId: d.groupId, topics: [...d.sourceTopics] });
  for (const { topic, partitions: ps } of committed) {
    for (const { partition, offset } of ps)
      out.get(partition)?.set(topic, offset === '-1' ? 0n : BigInt(offset));
  }
  return out;
}
