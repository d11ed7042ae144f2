import path from 'node:path';
import { describe } from '../../core/src/errors.ts';
import { joinerTopicSpecs } from '../../core/src/kafka/joiner-topics.ts';
import { assertCoPartitioned, ensureTopics } from '../../core/src/kafka/topics.ts';
import { exitOnStartupError, startService } from '../../core/src/runtime/service-runtime.ts';
import { JoinProcessor } from './join-processor.ts';
import { runJoiner } from './joiner.ts';
import { createJoinerMetrics } from './joiner-metrics.ts';
import { TaskManager } from '../../core/src/streams/task-manager.ts';
import { openPartitionTasks } from '../../core/src/streams/task-opener.ts';
import type { JoinTask, JoinerTopics } from './join-task.ts';
import { joinTaskStates, transactionalIdOf } from './join-task-states.ts';
import { loadJoinerSettings } from './settings.ts';

/**
 * The label joiner: joins ground truth to predictions by prediction_id, in either order, with event-time
 * expiry, state in per-partition LevelDB stores restored from a compacted changelog, and one Kafka transaction
 * per batch (changelog, joined pairs, expirations, dead letters and consumed offsets), so a crash or a
 * rebalance neither loses nor repeats a pair.
 */
async function main(): Promise<void> {
  const rt = await startService('label-joiner');
  const { config, logger, codecs } = rt;
  const settings = loadJoinerSettings();
  const specs = joinerTopicSpecs(config);
  const topics: JoinerTopics = {
    inference: rt.topics.inference,
    groundTruth: rt.topics.groundTruth,
    joined: rt.topics.joined,
    deadLetter: rt.topics.deadLetter,
    changelog: specs.changelog.topic,
    expirations: specs.expirations.topic,
    repartition: specs.repartition.topic,
  };
  const admin = rt.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [specs.changelog, specs.expirations, specs.repartition]);
  // The store of partition p holds inference p, ground truth p and repartition p, and logs to changelog p.
  const partitions = await assertCoPartitioned(admin, [
    topics.inference,
    topics.groundTruth,
    topics.repartition,
    topics.changelog,
  ]);

  const stateDir = path.resolve(config.stateDir, 'label-joiner', settings.groupId, settings.instanceId);
  const processor = new JoinProcessor({
    labelDelayMs: config.maxLabelDelayMs,
    orphanDelayMs: settings.orphanDelayMs || config.maxLabelDelayMs,
    duplicateLabels: settings.duplicateLabels,
  });
  const metrics = createJoinerMetrics(rt.metrics.registry, rt.metrics.deadLetters);
  const opener = {
    kafka: rt.kafka,
    admin,
    changelogTopic: topics.changelog,
    groupId: settings.groupId,
    transactionalIdOf: (p: number) => transactionalIdOf(settings.groupId, p),
    transactionTimeoutMs: settings.transactionTimeoutMs,
    sourceTopics: [topics.inference, topics.groundTruth, topics.repartition],
    restoreTimeoutMs: config.restoreTimeoutMs,
    logger,
    onRestored: (records: ReadonlyMap<number, number>) => {
      for (const [p, n] of records) metrics.restoredRecords.inc({ partition: String(p) }, n);
    },
  };
  const states = joinTaskStates({
    topics,
    partitions,
    settings,
    stateDir,
    processor,
    codecs,
    metrics,
    logger,
  });
  const tasks = new TaskManager<JoinTask>({
    open: (ps) => openPartitionTasks(opener, states, ps),
    logger,
  });
  const stop = await runJoiner({
    kafka: rt.kafka,
    topics,
    settings,
    sessionTimeoutMs: config.kafkaSessionTimeoutMs,
    tasks,
    logger,
    metrics: rt.metrics,
    onFatal: (error) => {
      logger.fatal(
        { error: describe(error) },
        'consumer stopped for good; exiting so a supervisor restarts it',
      );
      process.exit(1);
    },
  });
  rt.onShutdown(() => admin.disconnect());
  rt.onShutdown(stop);
  rt.setReady(true);
  logger.info({ topics, stateDir, duplicateLabels: settings.duplicateLabels }, 'label joiner running');
}

main().catch((error) => exitOnStartupError('label-joiner', error));
