import { crashPoint } from '../crash-point.ts';
import { exitCodeFor } from '../runtime/exit-codes.ts';
import { describe } from '../errors.ts';
import { BatchCoalescer } from './batch-coalescer.ts';
import type { Consumer, KafkaMessage } from './client.ts';
import { lostMembership, MembershipLostError } from './membership-lost.ts';
import type { Logger } from '../logger.ts';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

interface CommonOptions {
  consumer: Consumer;
  topics: string[];
  logger: Logger;
  metrics?: ServiceMetrics;
  /**
   * Largest slice of a partition's fetched batch handled at once; with `handleMany`, also the most rows of
   * one topic's slices handled together. @default 5000
   */
  maxBatch?: number;
  /** Called after each commit of offsets, with the batches it covered (e.g. to act on what is now committed). */
  afterCommit?: (batches: PartitionBatch[]) => void;
}

export type CommittingConsumerOptions = CommonOptions &
  (
    | {
        /** Makes one partition slice's effect durable. Its offset is committed only after it resolves. */
        handle: (batch: PartitionBatch) => Promise<void>;
        handleMany?: never;
      }
    | {
        /**
         * Makes the effect of the slices of several partitions durable at once (the partitions one fetch
         * returned, at most maxBatch rows of a topic together); their offsets are committed in one call only after it
         * resolves. Fewer, larger effects (one ClickHouse insert per topic rather than per partition) and
         * one OffsetCommit per fetch.
         */
        handleMany: (batches: PartitionBatch[]) => Promise<void>;
        handle?: never;
      }
  );

/**
 * kafkajs runs eachBatch for this many partitions of a fetch at once when slices are handled together: more
 * than a consumer of a few topics of a few dozen partitions is ever assigned, so a fetch's partitions meet in
 * one handleMany. A worker waiting for its partition costs nothing.
 */
const PARTITIONS_HANDLED_TOGETHER = 256;

interface Committed {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Runs a consumer whose offsets are committed only after `handle` (or `handleMany`) made the effect durable:
 * at-least-once delivery, which idempotent sinks turn into an exactly-once effect. A crash between the effect
 * and the commit replays the slices; nothing is skipped. A partition's next slice is handled only after the
 * previous one was committed, so order per partition holds either way.
 */
export async function runCommittingConsumer(options: CommittingConsumerOptions): Promise<void> {
  const { consumer, logger, metrics } = options;
  const maxBatch = options.maxBatch ?? 5000;
  // kafkajs restarts itself after retriable errors; after any other the consumer is dead while the process
  // lives on. Exit so the supervisor restarts it: uncommitted work is simply read again.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    logger.fatal({ error: payload.error.message }, 'consumer crashed; exiting so it can be restarted');
    process.exit(exitCodeFor(payload.error));
  });

  /** The effect of `batches`, then one commit of all their offsets. */
  const handleAndCommit = async (batches: PartitionBatch[], effect: () => Promise<void>) => {
    const started = performance.now();
    await effect();
    crashPoint('after-effect-before-commit');
    await commitOrRejoin(consumer, batches.map(nextOffset), logger);
    options.afterCommit?.(batches);
    const seconds = (performance.now() - started) / 1000;
    const rowsPerTopic = new Map<string, number>();
    for (const b of batches) rowsPerTopic.set(b.topic, (rowsPerTopic.get(b.topic) ?? 0) + b.messages.length);
    for (const [topic, rows] of rowsPerTopic) {
      metrics?.batchSeconds.observe({ topic }, seconds);
      metrics?.eventsIn.inc({ topic }, rows);
    }
  };
  const { handle, handleMany } = options;
  const coalescer = handleMany
    ? new BatchCoalescer<PartitionBatch>(
        (batches) => handleAndCommit(batches, () => handleMany(batches)),
        (b) => b.messages.length,
        maxBatch,
        (b) => b.topic,
      )
    : undefined;
  const handleSlice = (slice: PartitionBatch) =>
    coalescer ? coalescer.submit(slice) : handleAndCommit([slice], () => handle!(slice));

  await consumer.subscribe({ topics: options.topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    ...(coalescer ? { partitionsConsumedConcurrently: PARTITIONS_HANDLED_TOGETHER } : {}),
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      const { topic, partition } = batch;
      for (let i = 0; i < batch.messages.length; i += maxBatch) {
        if (!isRunning() || isStale()) return;
        const messages = batch.messages.slice(i, i + maxBatch);
        await handleSlice({ topic, partition, messages });
        resolveOffset(messages[messages.length - 1]!.offset);
        await heartbeat();
      }
      metrics?.consumerLag.set({ topic, partition: String(partition) }, Number(batch.offsetLag()));
      logger.debug({ topic, partition, messages: batch.messages.length }, 'batch committed');
    },
  });
}

function nextOffset({ topic, partition, messages }: PartitionBatch): Committed {
  const last = messages[messages.length - 1]!.offset;
  return { topic, partition, offset: (BigInt(last) + 1n).toString() };
}

/**
 * Commits the partitions' next offsets in one call. A member that lost its partitions while the batches ran
 * (it missed its session timeout: paused, starved of CPU) has its commit refused; that is an ordinary
 * rebalance, not a crash: MembershipLostError makes kafkajs rejoin, and the batches, whose effect is
 * idempotent, are read again.
 * @throws MembershipLostError (retriable) on a refused commit; any other error as kafkajs gave it.
 */
async function commitOrRejoin(consumer: Consumer, offsets: Committed[], logger: Logger): Promise<void> {
  try {
    await consumer.commitOffsets(offsets);
  } catch (error) {
    if (!lostMembership(error)) throw error;
    const { topic, partition } = offsets[0]!;
    const lost = new MembershipLostError(topic, partition, error);
    logger.warn({ offsets, error: describe(error) }, lost.message);
    throw lost;
  }
}
