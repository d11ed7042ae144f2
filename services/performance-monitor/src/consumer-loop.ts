import type { Consumer } from '../../core/src/kafka/client.ts';
import type { ServiceRuntime } from '../../core/src/runtime/service-runtime.ts';
import type { PerformanceSettings } from './options.ts';
import type { TaskManager } from '../../core/src/streams/task-manager.ts';
import type { PerformanceTask } from './performance-task.ts';

/** The joined-topic consumer: read_committed (kafkajs' default), so only what the joiner committed. */
export function createJoinedConsumer(rt: ServiceRuntime, perf: PerformanceSettings): Consumer {
  return rt.kafka.consumer({
    groupId: perf.groupId,
    maxBytesPerPartition: perf.fetchMaxBytes,
    maxBytes: perf.fetchMaxBytes * perf.concurrency,
    sessionTimeout: perf.sessionTimeoutMs,
    heartbeatInterval: Math.floor(perf.sessionTimeoutMs / 10),
  });
}

/**
 * Runs the consumer with offsets committed only by the tasks' transactions (no auto-commit). A (re)join
 * hands the new assignment to the tasks; a crash kafkajs will not restart ends the process, so a supervisor
 * starts it afresh from the changelog and the committed offsets.
 */
export async function runJoinedConsumer(
  rt: ServiceRuntime,
  consumer: Consumer,
  tasks: TaskManager<PerformanceTask>,
  concurrency: number,
): Promise<void> {
  const topic = rt.topics.joined;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    tasks.assign(payload.memberAssignment[topic] ?? []);
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    rt.logger.fatal({ error: payload.error.message, restart: payload.restart }, 'consumer crashed');
    if (!payload.restart) process.exit(1);
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: concurrency,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const started = performance.now();
      const done = await tasks.run(
        batch.partition,
        (task, ensureOwned) => task.handle(batch.messages, ensureOwned),
        heartbeat,
      );
      if (!done) return;
      resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      const { metrics } = rt;
      metrics.batchSeconds.observe({ topic }, (performance.now() - started) / 1000);
      metrics.eventsIn.inc({ topic }, batch.messages.length);
      metrics.consumerLag.set({ topic, partition: String(batch.partition) }, Number(batch.offsetLag()));
      await heartbeat();
    },
  });
}
