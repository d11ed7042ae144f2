import { loadSettings } from '../../core/src/config/load.ts';
import { runCommittingConsumer } from '../../core/src/kafka/committing-consumer.ts';
import { ModelMetrics } from '../../core/src/metrics/model-metrics.ts';
import { MODEL_METRICS_SETTINGS } from '../../core/src/metrics/model-metrics-settings.ts';
import { exitOnStartupError, startService } from '../../core/src/runtime/service-runtime.ts';
import { TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import { trackAssignment } from './assignment.ts';
import { ProfileBootstrap } from './bootstrap.ts';
import { CloseLoop, StreamTimeReportingStore } from './close-loop.ts';
import { ConceptStage } from './concept-stage.ts';
import { InferenceStage } from './inference-stage.ts';
import { createDriftMetrics } from './metrics.ts';
import { ProfileCache } from './profile-cache.ts';
import { DRIFT_SETTINGS } from './settings.ts';

/**
 * The drift monitor. Phase 1 (inference topic): partial window states per source partition into
 * drift_window_partials, then the offset commit. Phase 2 (a wall-clock timer): windows final on event time
 * across partitions are merged and tested into drift_metrics by the instance owning the model. Beside them,
 * a consumer of joined predictions feeds the concept-drift detectors.
 */
async function main(): Promise<void> {
  const s = loadSettings(DRIFT_SETTINGS);
  const windows = TumblingWindows.ofSizeAndGrace(s.windowMs, s.graceMs, 'DRIFTLINE_DRIFT_WINDOW');
  const rt = await startService('drift-monitor');
  const { topics, logger, codecs } = rt;
  const timeout = rt.config.kafkaSessionTimeoutMs;
  const session = { sessionTimeout: timeout, heartbeatInterval: Math.floor(timeout / 5) };
  const db = rt.config.clickhouseDatabase;
  const store = new StreamTimeReportingStore(rt.clickhouse, db);
  const profiles = new ProfileCache(store, s.profileRefreshMs);
  const metrics = createDriftMetrics(rt.metrics.registry);
  const { maxModelVersions } = loadSettings(MODEL_METRICS_SETTINGS);
  const modelMetrics = new ModelMetrics(rt.metrics.registry, maxModelVersions);
  const bootstrap =
    s.bootstrapEvents > 0
      ? new ProfileBootstrap({ client: rt.clickhouse, db, store, logger, settings: s })
      : undefined;
  const inference = new InferenceStage({
    onUnprofiled: (versions) => bootstrap?.note(versions),
    store,
    profiles,
    windows,
    metrics,
    modelMetrics,
    logger,
    topic: topics.inference,
    decode: (v) => codecs.inference.decode(v),
    processor: { exactValues: s.largeWindow, maxIds: s.dedupIds },
  });
  const consumer = rt.kafka.consumer({ groupId: s.groupId, ...session });
  const assigned = trackAssignment(consumer, topics.inference, () => inference.onAssignment());
  const concept = new ConceptStage({
    store,
    detectors: s.detectors,
    metrics,
    logger,
    topic: topics.joined,
    decode: (v) => codecs.joined.decode(v),
  });
  // kafkajs reads committed only by default: the joiner's aborted transactions never reach the detectors.
  const conceptConsumer = rt.kafka.consumer({ groupId: s.conceptGroupId, ...session });
  trackAssignment(conceptConsumer, topics.joined, () => concept.onAssignment());
  const admin = rt.kafka.admin();
  await Promise.all([consumer.connect(), conceptConsumer.connect(), admin.connect()]);
  rt.onShutdown(() => consumer.disconnect());
  rt.onShutdown(() => conceptConsumer.disconnect());
  rt.onShutdown(() => admin.disconnect());

  const closer = new CloseLoop({
    store,
    profiles,
    admin,
    groupId: s.groupId,
    topic: topics.inference,
    windows,
    tests: s,
    lookbackWindows: s.lookbackWindows,
    idleMs: s.idleMs,
    exactValues: s.largeWindow,
    metrics,
    modelMetrics,
    logger,
    assigned: () => assigned,
    bootstrap,
  });
  rt.onShutdown(() => closer.stop());
  store.onStreamTimes = (rows) => closer.noteStreamTimes(rows);

  const common = { logger, metrics: rt.metrics, maxBatch: s.batchSize };
  await runCommittingConsumer({
    ...common,
    consumer,
    topics: [topics.inference],
    handleMany: inference.handleMany,
    // A batch that made a window closable gets its closing pass now rather than at the timer's next tick.
    afterCommit: () => closer.afterCommit(),
  });
  await runCommittingConsumer({
    ...common,
    consumer: conceptConsumer,
    topics: [topics.joined],
    handleMany: concept.handleMany,
  });
  closer.start(s.closeIntervalMs);
  rt.setReady(true);
  logger.info(
    { window: s.windowMs, grace: s.graceMs, correction: s.correction, detectors: s.detectors },
    'drift monitor running',
  );
}

main().catch((error) => exitOnStartupError('drift-monitor', error));
