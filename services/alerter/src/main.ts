import { loadSettings } from '../../core/src/config/load.ts';
import { describe } from '../../core/src/errors.ts';
import { ensureTopics } from '../../core/src/kafka/topics.ts';
import { openFencedProducer } from '../../core/src/kafka/fenced-producer.ts';
import { withRetry } from '../../core/src/retry.ts';
import { exitOnStartupError, startService } from '../../core/src/runtime/service-runtime.ts';
import { createAlerterMetrics } from './metrics.ts';
import { readWriteMarks } from './write-marks.ts';
import { startLoop } from './loop.ts';
import { writeRows } from './outputs.ts';
import { loadRules, type Rules } from './rules/load.ts';
import { ALERTER_SETTINGS } from './settings.ts';
import { restoreStates, stateTopicSpec } from './state-store.ts';

/** Every latency percentile any model's rules ask for: one query per window reads them all. */
function percentiles(rules: Rules): number[] {
  const all = [rules.defaults, ...rules.models.values()].flatMap((r) =>
    Object.values(r.rules.latency).map((l) => l.percentile),
  );
  return [...new Set(all)].sort((a, b) => a - b);
}

/**
 * The alerter: closed windows from ClickHouse → rules → lifecycle → Alert and RetrainTrigger events, published
 * with the state that produced them in one Kafka transaction, then written to ClickHouse. The rules file is
 * checked before any server is contacted, so a bad file fails at once, naming the file, rule and setting.
 */
async function main(): Promise<void> {
  const settings = loadSettings(ALERTER_SETTINGS);
  const rules = loadRules(settings.rulesFile);
  const rt = await startService('alerter');
  const { config, topics, codecs, clickhouse, logger } = rt;
  const database = config.clickhouseDatabase;
  const stateSpec = stateTopicSpec(config);
  const admin = rt.kafka.admin();
  await admin.connect();
  rt.onShutdown(() => admin.disconnect());
  await ensureTopics(admin, [stateSpec]);

  const transactionalId = settings.transactionalId || `driftline-alerter-${config.topicPrefix}`;
  // Fences an older instance before the state is read: its open transaction is aborted, its later commits refused.
  const producer = await openFencedProducer(rt.kafka, {
    transactionalId,
    transactionTimeoutMs: settings.transactionTimeoutMs,
  });
  rt.onShutdown(() => producer.disconnect());
  const retry = { attempts: 5, maxMs: 5000 };
  const states = await withRetry(
    () => restoreStates(rt.kafka, admin, stateSpec.topic, logger, config.restoreTimeoutMs),
    retry,
  );
  await writeRows({ clickhouse, database }, [...states.values()]); // outboxes of the last commit, again
  const metrics = createAlerterMetrics(rt.metrics.registry);
  for (const s of states.values()) metrics.heldBackTotal.set({ model_id: s.modelId }, s.policy.heldBack);
  logger.info({ models: states.size, rules: rules.file, transactionalId }, 'alerter state restored');

  const stop = startLoop(
    {
      inputs: {
        clickhouse,
        database,
        admin,
        performanceWindow: settings.performanceWindow,
        percentiles: percentiles(rules),
        deadLetterTopic: topics.deadLetter,
        inputTopics: [topics.inference, topics.groundTruth],
      },
      outputs: {
        producer,
        transactionalId,
        clickhouse,
        database,
        topics: { alerts: topics.alerts, retrainTriggers: topics.retrainTriggers, state: stateSpec.topic },
        codecs,
      },
      rules,
      states,
      metrics,
      logger,
      staleAfterMs: settings.staleAfter,
    },
    settings.pollMs,
    (error) => {
      logger.fatal({ error: describe(error) }, 'alerter stopped: cannot go on');
      process.exit(1);
    },
    settings.checkMs > 0
      ? { read: () => readWriteMarks(clickhouse, database), everyMs: settings.checkMs }
      : undefined,
  );
  rt.onShutdown(stop);
  rt.setReady(true);
  logger.info(
    {
      pollMs: settings.pollMs,
      checkMs: settings.checkMs,
      window: settings.performanceWindow,
      staleAfterMs: settings.staleAfter,
    },
    'alerter running',
  );
}

main().catch((error) => exitOnStartupError('alerter', error));
