import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/src/logger.ts';
import type { Codecs } from '../../core/src/serde/codecs.ts';
import { deleteCheckpoint, readCheckpoint } from '../../core/src/store/checkpoint.ts';
import { LevelDbStore } from '../../core/src/store/level-db-store.ts';
import type { TaskStates } from '../../core/src/streams/task-opener.ts';
import type { JoinProcessor } from './join-processor.ts';
import { restoreOps } from './join-store.ts';
import type { JoinerMetrics } from './joiner-metrics.ts';
import { JoinTask, type JoinerTopics } from './join-task.ts';
import type { JoinerSettings } from './settings.ts';
import { IdleTracker } from './watermark.ts';

export interface JoinTaskStatesDeps {
  topics: JoinerTopics;
  /** Partitions of the co-partitioned inputs. */
  partitions: number;
  settings: JoinerSettings;
  /** This instance's state folder: one LevelDB per partition below it. */
  stateDir: string;
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
 * The joiner's state per partition: a LevelDB store kept across restarts when its clean-shutdown checkpoint
 * equals the changelog end (read after fencing), otherwise wiped and replayed from the changelog (with the
 * expiry index rebuilt from the states). Core's task opener calls these in a safe order.
 */
export function joinTaskStates(d: JoinTaskStatesDeps): TaskStates<JoinTask> {
  const stores = new Map<number, LevelDbStore>();
  const bucketMs = expiryBucketMs(d.processor);
  let tag = 0;
  return {
    async prepare(p, end) {
      const checkpoint = await readCheckpoint(checkpointFile(d.stateDir, p));
      await deleteCheckpoint(checkpointFile(d.stateDir, p));
      // A checkpoint vouches for the files it sits beside: without them it means nothing.
      const stale = checkpoint !== end || !existsSync(storeDir(d.stateDir, p));
      if (stale) await LevelDbStore.destroy(storeDir(d.stateDir, p));
      const store = await LevelDbStore.open(storeDir(d.stateDir, p), {
        cacheSize: d.settings.storeCacheMb << 20,
      });
      stores.set(p, store);
      return stale;
    },
    restore: (p, records) => stores.get(p)!.write(restoreOps(records, tag++, bucketMs)),
    async create(opened) {
      const level = stores.get(opened.partition)!;
      stores.delete(opened.partition);
      return JoinTask.open({
        ...opened,
        partitions: d.partitions,
        topics: d.topics,
        groupId: d.settings.groupId,
        level,
        checkpointFile: checkpointFile(d.stateDir, opened.partition),
        processor: d.processor,
        codecs: d.codecs,
        metrics: d.metrics,
        idle: new IdleTracker(d.settings.idleMs, Date.now),
        expiryBatch: d.settings.expiryBatch,
        deadLetterOrphans: d.settings.deadLetterOrphans,
        expiryBucketMs: bucketMs,
        maxClockSkewMs: d.settings.maxClockSkewMs,
        logger: d.logger,
      });
    },
    async discard(partitions) {
      for (const p of partitions) {
        await stores
          .get(p)
          ?.close()
          .catch(() => undefined);
        stores.delete(p);
      }
    },
  };
}
