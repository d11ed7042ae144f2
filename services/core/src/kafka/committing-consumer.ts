import { crashPoint } from '../crash-point.ts';
import { exitCodeFor } from '../runtime/exit-codes.ts';
import { describe } from '../errors.ts';
import type { Consumer, KafkaMessage } from './client.ts';
import { lostMembership, MembershipLostError } from './membership-lost.ts';
import type { Logger } from '../logger.ts';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';

export interface PartitionBatch {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
}

export interface CommittingConsumerOptions {
  consumer: Consumer;
  topics: string[];
  /** Makes the batch's effect durable. Offsets are committed only after it resolves. */
  handle: (batch: PartitionBatch) => Promise<void>;
  logger: Logger;
  metrics?: ServiceMetrics;
  /** Largest slice of a fetched batch handled (and committed) at once. @default 5000 */
  maxBatch?: number;
}

/**
 * Runs a consumer whose offsets are committed only after `handle` made the effect durable: at-least-once
 * delivery, which idempotent sinks turn into an exactly-once effect. A crash between the effect and the commit
 * replays the slice; nothing is skipped.
 */
export async function runCommittingConsumer(options: CommittingConsumerOptions): Promise<void> {
  const { consumer, handle, logger, metrics } = options;
  const maxBatch = options.maxBatch ?? 5000;
  // kafkajs restarts itself after retriable errors; after any other the consumer is dead while the process
  // lives on. Exit so the supervisor restarts it: uncommitted work is simply read again.
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    logger.fatal({ error: payload.error.message }, 'consumer crashed; exiting so it can be restarted');
    process.exit(exitCodeFor(payload.error));
  });
  await consumer.subscribe({ topics: options.topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      const { topic, partition } = batch;
      for (let i = 0; i < batch.messages.length; i += maxBatch) {
        if (!isRunning() || isStale()) return;
        const messages = batch.messages.slice(i, i + maxBatch);
        const started = performance.now();
        await handle({ topic, partition, messages });
        crashPoint('after-effect-before-commit');
        const last = messages[messages.length - 1]!.offset;
        await commitOrRejoin(consumer, topic, partition, (BigInt(last) + 1n).toString(), logger);
        resolveOffset(last);
        metrics?.batchSeconds.observe({ topic }, (performance.now() - started) / 1000);
        metrics?.eventsIn.inc({ topic }, messages.length);
        await heartbeat();
      }
      metrics?.consumerLag.set({ topic, partition: String(partition) }, Number(batch.offsetLag()));
      logger.debug({ topic, partition, messages: batch.messages.length }, 'batch committed');
    },
  });
}

/**
 * Commits one partition's next offset. A member that lost its partitions while the batch ran (it missed its
 * session timeout: paused, starved of CPU) has its commit refused; that is an ordinary rebalance, not a crash:
 * MembershipLostError makes kafkajs rejoin, and the batch, whose effect is idempotent, is read again.
 * @throws MembershipLostError (retriable) on a refused commit; any other error as kafkajs gave it.
 */
async function commitOrRejoin(
  consumer: Consumer,
  topic: string,
  partition: number,
  offset: string,
  logger: Logger,
): Promise<void> {
  try {
    await consumer.commitOffsets([{ topic, partition, offset }]);
  } catch (error) {
    if (!lostMembership(error)) throw error;
    const lost = new MembershipLostError(topic, partition, error);
    logger.warn({ topic, partition, offset, error: describe(error) }, lost.message);
    throw lost;
  }
}
