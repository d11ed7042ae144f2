import { coPartitionedAssigner } from '../../core/src/kafka/co-partitioned-assigner.ts';
import type { Kafka } from '../../core/src/kafka/client.ts';
import { describe } from '../../core/src/errors.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { ServiceMetrics } from '../../core/src/metrics/service-metrics.ts';
import type { TaskManager } from '../../core/src/streams/task-manager.ts';
import type { JoinTask, JoinerTopics } from './join-task.ts';
import type { JoinerSettings } from './settings.ts';

export interface JoinerDeps {
  kafka: Kafka;
  topics: JoinerTopics;
  settings: JoinerSettings;
  /** How soon a crashed instance's partitions move to the others (DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS). */
  sessionTimeoutMs: number;
  tasks: TaskManager<JoinTask>;
  logger: Logger;
  metrics: ServiceMetrics;
  /** Called when the consumer crashed for good (kafkajs will not restart it). */
  onFatal: (error: unknown) => void;
}

/**
 * Consumes both inputs in one group with the co-partitioned assigner, and hands each batch to its partition's
 * task. Offsets are committed inside each batch's transaction, never by the consumer (autoCommit off).
 * @returns a stop function: finishes the running batches, leaves the group, closes the tasks with checkpoints.
 */
export async function runJoiner(d: JoinerDeps): Promise<() => Promise<void>> {
  const { topics, settings } = d;
  const consumer = d.kafka.consumer({
    groupId: settings.groupId,
    partitionAssigners: [coPartitionedAssigner],
    sessionTimeout: d.sessionTimeoutMs,
    heartbeatInterval: Math.floor(d.sessionTimeoutMs / 5),
    maxBytesPerPartition: settings.fetchBytesPerPartition,
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    const partitions = [...new Set(Object.values(payload.memberAssignment).flat())].sort((a, b) => a - b);
    d.logger.info({ partitions, memberId: payload.memberId }, 'assignment');
    d.tasks.assign(partitions);
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    d.logger.error({ error: describe(payload.error), restart: payload.restart }, 'consumer crashed');
    if (!payload.restart) d.onFatal(payload.error);
  });
  await consumer.connect();
  await consumer.subscribe({
    topics: [topics.inference, topics.groundTruth, topics.repartition],
    fromBeginning: true,
  });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: settings.concurrency,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning }) => {
      if (!isRunning() || batch.messages.length === 0) return;
      const started = performance.now();
      const caughtUp = batch.offsetLag() === '0';
      const done = await d.tasks.run(
        batch.partition,
        (task, ensureOwned) => task.processBatch(batch.topic, batch.messages, caughtUp, ensureOwned),
        heartbeat,
      );
      if (!done) return;
      resolveOffset(batch.lastOffset());
      d.metrics.eventsIn.inc({ topic: batch.topic }, batch.messages.length);
      d.metrics.batchSeconds.observe({ topic: batch.topic }, (performance.now() - started) / 1000);
      d.metrics.consumerLag.set(
        { topic: batch.topic, partition: String(batch.partition) },
        Number(batch.offsetLag()),
      );
      await heartbeat();
    },
  });
  return async () => {
    await consumer.disconnect();
    await d.tasks.closeAll();
  };
}
