import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Admin, Kafka, Producer } from '../../core/src/kafka/client.ts';
import { changelogEnds, restoreChangelog } from '../../core/src/kafka/changelog-restorer.ts';
import { openFencedProducer } from '../../core/src/kafka/fenced-producer.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { Codecs } from '../../core/src/serde/codecs.ts';
import { deleteCheckpoint, readCheckpoint } from '../../core/src/store/checkpoint.ts';
import { LevelDbStore } from '../../core/src/store/level-db-store.ts';
import type { JoinProcessor } from './join-processor.ts';
import { restoreOps } from './join-store.ts';
import type { JoinerMetrics } from './joiner-metrics.ts';
import { PartitionTask, type JoinerTopics } from './partition-task.ts';
import type { JoinerSettings } from './settings.ts';
import { IdleTracker } from './watermark.ts';

export interface TaskOpenerDeps {
  kafka: Kafka;
  admin: Admin;
  topics: JoinerTopics;
  /** Partitions of the co-partitioned inputs. */
  partitions: number;
  settings: JoinerSettings;
  /** This instance's state folder: one LevelDB per partition below it. */
  stateDir: string;
  /** DRIFTLINE_RESTORE_TIMEOUT_MS. */
  restoreTimeoutMs?: number;
  processor: JoinProcessor;
  codecs: Codecs;
  metrics: JoinerMetrics;
  logger: Logger;
}

export const storeDir = (stateDir: string, p: number): string => path.join(stateDir, `partition-${p}`);
export const checkpointFile = (stateDir: string, p: number): string =>
  path.join(stateDir, `partition-${p}.checkpoint`);
/**
 * Width of the expiry index buckets: an entry expires at most this much event time after its deadline. A
 * hundredth of the shorter delay, at most a minute: a 14-day delay gets minute buckets, a test's second gets 10 ms.
 */
export function expiryBucketMs(processor: JoinProcessor): number {
  const { labelDelayMs, orphanDelayMs } = processor.options;
  return Math.max(1, Math.min(60_000, Math.floor(Math.min(labelDelayMs, orphanDelayMs) / 100)));
}

export const transactionalIdOf = (groupId: string, p: number): string => `${groupId}-${p}`;

/**
 * Opens the tasks of newly assigned partitions, in the order that makes a hand-over safe:
 * 1. open each partition's fenced transactional producer: fences the previous owner, whose open transaction is
 *    aborted before this returns, and whose later sends and commits are refused;
 * 2. read the changelog ends (read_committed, so after those aborts);
 * 3. keep a local store whose clean-shutdown checkpoint equals the end, otherwise wipe it and replay the
 *    changelog into it (one restore consumer for all partitions);
 * 4. read the group's committed offsets only now, so a transaction that committed just before the fence is
 *    seen (kafkajs' OffsetFetch predates KIP-447's require_stable) and its messages are not joined twice.
 */
export async function openTasks(
  d: TaskOpenerDeps,
  partitions: readonly number[],
): Promise<Map<number, PartitionTask>> {
  const producers = new Map<number, Producer>();
  const stores = new Map<number, LevelDbStore>();
  try {
    const opened = partitions.map(async (p) => {
      const producer = await openFencedProducer(d.kafka, {
        transactionalId: transactionalIdOf(d.settings.groupId, p),
        transactionTimeoutMs: d.settings.transactionTimeoutMs,
      });
      producers.set(p, producer);
    });
    // Every open settles before the clean-up below may run, so no producer is left connected.
    for (const r of await Promise.allSettled(opened)) if (r.status === 'rejected') throw r.reason;
    const ends = await changelogEnds(d.admin, d.topics.changelog, partitions);
    const toRestore = new Map<number, bigint>();
    for (const p of partitions) {
      const end = ends.get(p) ?? 0n;
      const checkpoint = await readCheckpoint(checkpointFile(d.stateDir, p));
      await deleteCheckpoint(checkpointFile(d.stateDir, p));
      // A checkpoint vouches for the files it sits beside: without them it means nothing.
      if (checkpoint !== end || !existsSync(storeDir(d.stateDir, p))) {
        await LevelDbStore.destroy(storeDir(d.stateDir, p));
        toRestore.set(p, end);
      }
      stores.set(
        p,
        await LevelDbStore.open(storeDir(d.stateDir, p), { cacheSize: d.settings.storeCacheMb << 20 }),
      );
    }
    await restore(d, toRestore, stores);
    const floors = await committedOffsets(d, partitions);
    const tasks = new Map<number, PartitionTask>();
    for (const p of partitions) {
      tasks.set(
        p,
        await PartitionTask.open(
          taskDeps(d, p, producers.get(p)!, stores.get(p)!, floors.get(p)!, ends.get(p)),
        ),
      );
    }
    d.logger.info({ partitions, restored: [...toRestore.keys()] }, 'partitions opened');
    return tasks;
  } catch (error) {
    for (const producer of producers.values()) await producer.disconnect().catch(() => undefined);
    for (const store of stores.values()) await store.close().catch(() => undefined);
    throw error;
  }
}

function taskDeps(
  d: TaskOpenerDeps,
  p: number,
  producer: Producer,
  level: LevelDbStore,
  floors: Map<string, bigint>,
  end: bigint | undefined,
) {
  return {
    partition: p,
    partitions: d.partitions,
    topics: d.topics,
    groupId: d.settings.groupId,
    transactionalId: transactionalIdOf(d.settings.groupId, p),
    producer,
    level,
    processor: d.processor,
    codecs: d.codecs,
    metrics: d.metrics,
    idle: new IdleTracker(d.settings.idleMs, Date.now),
    expiryBatch: d.settings.expiryBatch,
    deadLetterOrphans: d.settings.deadLetterOrphans,
    floors,
    changelogEnd: end,
    expiryBucketMs: expiryBucketMs(d.processor),
    maxClockSkewMs: d.settings.maxClockSkewMs,
    logger: d.logger,
  };
}

async function restore(
  d: TaskOpenerDeps,
  ends: Map<number, bigint>,
  stores: Map<number, LevelDbStore>,
): Promise<void> {
  if (ends.size === 0) return;
  const started = Date.now();
  let tag = 0;
  const counts = await restoreChangelog({
    kafka: d.kafka,
    topic: d.topics.changelog,
    ends,
    groupPrefix: d.settings.groupId,
    timeoutMs: d.restoreTimeoutMs,
    logger: d.logger,
    apply: (p, records) => stores.get(p)!.write(restoreOps(records, tag++, expiryBucketMs(d.processor))),
  });
  for (const [p, n] of counts) d.metrics.restoredRecords.inc({ partition: String(p) }, n);
  d.logger.info(
    { records: Object.fromEntries(counts), ms: Date.now() - started },
    'stores restored from the changelog',
  );
}

/** Next offset to read per input topic, per partition (0 when the group never committed there). */
async function committedOffsets(
  d: TaskOpenerDeps,
  partitions: readonly number[],
): Promise<Map<number, Map<string, bigint>>> {
  const out = new Map(partitions.map((p) => [p, new Map<string, bigint>()]));
  const committed = await d.admin.fetchOffsets({
    groupId: d.settings.groupId,
    topics: [d.topics.inference, d.topics.groundTruth, d.topics.repartition],
  });
  for (const { topic, partitions: ps } of committed) {
    for (const { partition, offset } of ps)
      out.get(partition)?.set(topic, offset === '-1' ? 0n : BigInt(offset));
  }
  return out;
}
