import { randomUUID } from 'node:crypto';
import { ServerUnavailableError } from '../../core/src/errors.ts';
import type { Kafka } from '../../core/src/kafka/client.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { ChangelogEntry } from './window-state-store.ts';

export interface RestoreOptions {
  kafka: Kafka;
  topic: string;
  partitions: readonly number[];
  /** Prefix of the throw-away consumer group used to read the changelog (kafkajs cannot assign). */
  groupPrefix: string;
  apply: (partition: number, entry: ChangelogEntry) => void;
  logger: Logger;
  /** @default 120000 */
  timeoutMs?: number;
}

/**
 * Reads changelog partitions from the beginning up to their current end, applying each record in offset
 * order. Committed transactions only (read_committed): a batch whose transaction never committed is not part
 * of the state, exactly as its offsets were never committed. Callers fence zombie producers first, so no open
 * transaction holds the end of the log back.
 * @throws ServerUnavailableError (retriable) when the end is not reached in time.
 */
export async function restoreChangelog(o: RestoreOptions): Promise<number> {
  const ends = await partitionEnds(o.kafka, o.topic, o.partitions);
  if (ends.size === 0) return 0;
  const consumer = o.kafka.consumer({
    groupId: `${o.groupPrefix}-restore-${randomUUID()}`,
    readUncommitted: false,
    maxBytesPerPartition: 16 * 1024 * 1024,
  });
  let applied = 0;
  const remaining = new Set(ends.keys());
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  // kafkajs reports batches made only of transaction markers here too, with their last offset.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    const end = ends.get(payload.partition);
    if (end !== undefined && BigInt(payload.lastOffset) >= end - 1n) remaining.delete(payload.partition);
    if (remaining.size === 0) finished();
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [o.topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        if (!ends.has(batch.partition)) return;
        for (const m of batch.messages) {
          if (m.key === null) continue;
          o.apply(batch.partition, {
            key: m.key.toString(),
            value: m.value === null ? null : m.value.toString(),
          });
          applied += 1;
        }
      },
    });
    await withTimeout(
      done,
      o.timeoutMs ?? 120_000,
      `restoring ${o.topic} partitions ${[...remaining].join(',')}`,
    );
  } finally {
    await consumer.disconnect();
  }
  o.logger.info(
    { topic: o.topic, partitions: o.partitions, records: applied },
    'state restored from the changelog',
  );
  return applied;
}

/** Log end offsets of the non-empty partitions among `partitions`. */
async function partitionEnds(
  kafka: Kafka,
  topic: string,
  partitions: readonly number[],
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const wanted = new Set(partitions);
    return new Map(
      offsets
        .filter((o) => wanted.has(o.partition) && BigInt(o.high) > BigInt(o.low))
        .map((o) => [o.partition, BigInt(o.high)] as const),
    );
  } finally {
    await admin.disconnect();
  }
}

async function withTimeout(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ServerUnavailableError('kafka', `timed out after ${ms} ms ${what}`)),
      ms,
    );
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
