import { loadSettings } from '../../core/src/config/load.ts';
import { ModelMetrics } from '../../core/src/metrics/model-metrics.ts';
import { MODEL_METRICS_SETTINGS } from '../../core/src/metrics/model-metrics-settings.ts';
import { exitOnStartupError, startService } from '../../core/src/runtime/service-runtime.ts';
import { SchemaRegistryClient } from '../../core/src/serde/schema-registry.ts';
import { TaskManager } from '../../core/src/streams/task-manager.ts';
import { openPartitionTasks } from '../../core/src/streams/task-opener.ts';
import { provisionChangelog } from './changelog-topic.ts';
import { rowWriter } from './clickhouse-rows.ts';
import { createJoinedConsumer, runJoinedConsumer } from './consumer-loop.ts';
import { joinedDecoder } from './joined-decoder.ts';
import { windowFiguresOf } from './model-figures.ts';
import { resolveProcessorOptions } from './options.ts';
import { performanceTaskStates, transactionalIdOf, type PerformanceTask } from './performance-task.ts';
import { createPerformanceMetrics } from './perf-metrics.ts';
import { PerformanceProcessor } from './processor.ts';
import { PERFORMANCE_SETTINGS } from './settings.ts';

const SERVICE = 'performance-monitor';

/**
 * The performance monitor: joined predictions in, figures per model, version, segment and window out. Each
 * batch: rows to ClickHouse (full window figures, idempotent), then one Kafka transaction with the changed
 * window state (changelog), dead letters and the consumer offset. See performance-task.ts and the core's
 * streams/task-manager.ts for the guarantees.
 */
async function main(): Promise<void> {
  const rt = await startService(SERVICE);
  const { config, topics, logger } = rt;
  const perf = loadSettings(PERFORMANCE_SETTINGS);
  const options = resolveProcessorOptions(perf, config);
  const changelogTopic = await provisionChangelog(rt.kafka, config, topics.joined, logger);
  const metrics = createPerformanceMetrics(rt.metrics.registry);
  const { maxModelVersions } = loadSettings(MODEL_METRICS_SETTINGS);
  const modelMetrics = new ModelMetrics(rt.metrics.registry, maxModelVersions);
  const writeRows = rowWriter({
    clickhouse: rt.clickhouse,
    database: config.clickhouseDatabase,
    logger,
    metrics: rt.metrics,
  });
  const registry = new SchemaRegistryClient({
    url: config.registryUrl,
    username: config.registryUsername,
    password: config.registryPassword,
  });
  const consumer = createJoinedConsumer(rt, perf);
  const states = performanceTaskStates({
    logger,
    metrics,
    groupId: perf.groupId,
    sourceTopic: topics.joined,
    changelogTopic,
    deadLetterTopic: topics.deadLetter,
    newProcessor: () => new PerformanceProcessor(options),
    seek: (partition, offset) => consumer.seek({ topic: topics.joined, partition, offset }),
    decode: joinedDecoder({
      readerType: rt.codecs.joined.type,
      writerType: (id) => registry.writerType(id),
      fallback: (value) => rt.codecs.joined.decode(value),
    }),
    // The gauges follow the rows once they are stored.
    writeRows: async (result) => {
      await writeRows(result);
      modelMetrics.windowFigures(windowFiguresOf(result.metricRows));
    },
  });
  const admin = rt.kafka.admin();
  await admin.connect();
  const opener = {
    kafka: rt.kafka,
    admin,
    changelogTopic,
    groupId: perf.groupId,
    transactionalIdOf: (p: number) => transactionalIdOf(perf.groupId, topics.joined, p),
    // A crashed instance's open transaction holds readers back no longer than its partitions are held.
    transactionTimeoutMs: perf.sessionTimeoutMs,
    // The state's checkpoint in the changelog, not the group's offsets, says which records were applied.
    sourceTopics: [],
    restoreTimeoutMs: config.restoreTimeoutMs,
    logger,
  };
  const tasks = new TaskManager<PerformanceTask>({
    open: async (partitions) => {
      const started = performance.now();
      const opened = await openPartitionTasks(opener, states, partitions);
      metrics.restoreSeconds.observe((performance.now() - started) / 1000);
      return opened;
    },
    // Rows reach ClickHouse before the transaction that fencing would refuse: a task that may be stale after
    // a rejoin must not write them, so every rejoin restores the assigned partitions afresh.
    reopenOnRejoin: true,
    logger,
  });
  rt.onShutdown(() => admin.disconnect());
  rt.onShutdown(() => tasks.closeAll());
  rt.onShutdown(() => consumer.disconnect());
  await runJoinedConsumer(rt, consumer, tasks, perf.concurrency);
  rt.setReady(true);
  logger.info(
    { topic: topics.joined, changelogTopic, windows: options.windows.map((w) => w.name) },
    `${SERVICE} running`,
  );
}

main().catch((error) => exitOnStartupError(SERVICE, error));
