import { loadSettings } from '../../core/src/config/load.ts';
import { runCommittingConsumer } from '../../core/src/kafka/committing-consumer.ts';
import { exitOnStartupError, startService } from '../../core/src/runtime/service-runtime.ts';
import { readSourceLag } from '../../core/src/windows/source-lag.ts';
import { TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import { CalibrationStage } from './calibration-stage.ts';
import { CloseLoop } from './close-loop.ts';
import { EstimateStage } from './estimate-stage.ts';
import { createEstimatorMetrics } from './metrics.ts';
import { ESTIMATOR_SETTINGS } from './settings.ts';
import { EstimatorStore } from './store.ts';

/**
 * The performance estimator (confidence-based performance estimation, NannyML's CBPE, on the stream). One
 * consumer learns each model version's calibration from its first labeled predictions (joined topic); another
 * adds every calibrated prediction (inference topic) to its event-time window's estimate state; a wall-clock
 * loop estimates windows as soon as they close, long before their labels, and later stores the estimation
 * error once the realized figure is final.
 */
async function main(): Promise<void> {
  const s = loadSettings(ESTIMATOR_SETTINGS);
  const windows = TumblingWindows.ofSizeAndGrace(s.window.ms, s.graceMs, 'DRIFTLINE_ESTIMATOR_WINDOW');
  const rt = await startService('estimator');
  const { topics, logger, codecs } = rt;
  const timeout = rt.config.kafkaSessionTimeoutMs;
  const session = { sessionTimeout: timeout, heartbeatInterval: Math.floor(timeout / 5) };
  const store = new EstimatorStore(rt.clickhouse, rt.config.clickhouseDatabase);
  const metrics = createEstimatorMetrics(rt.metrics.registry);
  const closed = new Set<string>();

  const calibration = new CalibrationStage({
    store,
    referenceLabels: s.referenceLabels,
    decode: (v) => codecs.joined.decode(v),
    logger,
  });
  await calibration.load();
  const estimates = new EstimateStage({
    store,
    windows,
    windowSize: s.window.label,
    decode: (v) => codecs.inferenceWithoutFeatures.decode(v),
    calibrationOf: calibration.calibrationOf,
    isClosed: (key) => closed.has(key),
    metrics,
    logger,
  });
  const consumer = rt.kafka.consumer({ groupId: s.groupId, ...session });
  consumer.on(consumer.events.GROUP_JOIN, () => estimates.onAssignment());
  // Read committed only (kafkajs's default): the joiner's aborted transactions never reach the calibration.
  const calibrationConsumer = rt.kafka.consumer({ groupId: s.calibrationGroupId, ...session });
  const admin = rt.kafka.admin();
  await Promise.all([consumer.connect(), calibrationConsumer.connect(), admin.connect()]);
  rt.onShutdown(() => admin.disconnect());
  rt.onShutdown(() => consumer.disconnect());
  rt.onShutdown(() => calibrationConsumer.disconnect());

  const closer = new CloseLoop({
    store,
    windowSize: s.window.label,
    graceMs: s.graceMs,
    idleMs: s.idleMs,
    bandZ: s.bandZ,
    divergenceWindows: s.divergenceWindows,
    referenceOf: (m, v) => calibration.referenceOf(m, v),
    sourceLag: () => readSourceLag(admin, s.groupId, topics.inference),
    markClosed: (key) => closed.add(key),
    metrics,
    logger,
  });
  rt.onShutdown(() => closer.stop());

  const common = { logger, metrics: rt.metrics, maxBatch: s.batchSize };
  await runCommittingConsumer({
    ...common,
    consumer: calibrationConsumer,
    topics: [topics.joined],
    handle: calibration.handle,
  });
  await runCommittingConsumer({
    ...common,
    consumer,
    topics: [topics.inference],
    handleMany: estimates.handleMany,
  });
  closer.start(s.closeIntervalMs);
  rt.setReady(true);
  logger.info(
    { window: s.window.label, grace: s.graceMs, referenceLabels: s.referenceLabels },
    'estimator running',
  );
}

main().catch((error) => exitOnStartupError('estimator', error));
