import type { RowBinaryBatch } from '../../core/src/clickhouse/row-binary.ts';
import { ClickHouseWriter, type TableColumns } from '../../core/src/clickhouse/writer.ts';
import { publishDeadLetters, type Rejected } from '../../core/src/kafka/dead-letter.ts';
import { runCommittingConsumer, type PartitionBatch } from '../../core/src/kafka/committing-consumer.ts';
import { exitOnStartupError, startService } from '../../core/src/runtime/service-runtime.ts';
import { decodeJoinExpiration, type JoinExpiration } from '../../core/src/kafka/join-expiration.ts';
import { joinerTopicSpecs } from '../../core/src/kafka/joiner-topics.ts';
import { ensureTopics } from '../../core/src/kafka/topics.ts';
import { decodeBatch } from './processor.ts';
import { InferenceSideRows, writeSideRows } from './side-rows.ts';
import type {
  Alert,
  GroundTruthEvent,
  InferenceEvent,
  JoinedPrediction,
} from '../../core/src/records/records.generated.ts';
import { GROUND_TRUTH, GROUND_TRUTH_COLUMNS } from '../../core/src/tables/ground-truth.ts';
import { INFERENCE_LOG, INFERENCE_LOG_COLUMNS } from '../../core/src/tables/inference-log.ts';
import { JOIN_EXPIRATIONS, JOIN_EXPIRATIONS_COLUMNS } from '../../core/src/tables/join-expirations.ts';
import {
  LABELED_PREDICTIONS,
  LABELED_PREDICTIONS_COLUMNS,
} from '../../core/src/tables/labeled-predictions.ts';
import {
  groundTruthRow,
  inferenceRow,
  joinExpirationRow,
  labeledPredictionRow,
  type SourcePosition,
} from './rows.ts';

/**
 * Fetch sizes: the partitions of a fetch are one insert per table (up to DRIFTLINE_SINK_BATCH_SIZE rows), and
 * ClickHouse's CPU per row falls steeply with the rows per insert (one part to write, sort and later merge per
 * insert; bench/sink.ts). kafkajs' default 1 MB a partition caps an inference batch near 2,000 events; 4 MB
 * lets a partition that is behind fill an insert on its own. A whole fetch keeps kafkajs' default 10 MB, so memory stays where it was (24 MB
 * fetches cost the sink 150-200 MB more RSS for inserts no larger).
 */
const SINK_FETCH = { maxBytesPerPartition: 4 << 20, maxBytes: 10 << 20 } as const;

interface SinkRoute<T> {
  /** The table and its columns, in the order the rows are encoded (RowBinary). */
  target: TableColumns;
  decode(value: Buffer | null): Promise<T>;
  row(record: T, at: SourcePosition, nowMs: number): object;
}

/**
 * The sink: inference and ground-truth events, and the label joiner's joined pairs and expirations, into
 * ClickHouse, in batches: the partitions one fetch returned are handled together (one insert per table). Order
 * per batch: dead letters acknowledged, rows inserted, then the partitions' offsets committed in one call. A
 * crash anywhere replays the batch; row identity in ReplacingMergeTree makes the replay invisible to FINAL /
 * GROUP BY queries.
 */
async function main(): Promise<void> {
  const rt = await startService('sink');
  const { config, topics, codecs, clickhouse, metrics, logger } = rt;
  const producer = rt.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const consumer = rt.kafka.consumer({
    groupId: config.sinkGroupId,
    sessionTimeout: config.kafkaSessionTimeoutMs,
    heartbeatInterval: Math.floor(config.kafkaSessionTimeoutMs / 5),
    ...SINK_FETCH,
  });
  await consumer.connect();
  rt.onShutdown(() => producer.disconnect());
  rt.onShutdown(() => consumer.disconnect());

  const db = config.clickhouseDatabase;
  const writer = new ClickHouseWriter(clickhouse, { metrics, logger });
  // The joiner's expirations topic is not in the core's list: create it so subscribing works before the joiner ran.
  const expirations = joinerTopicSpecs(config).expirations;
  const admin = rt.kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [expirations]).finally(() => admin.disconnect());
  // One route per consumed topic: how to decode, which row, which table.
  const routes = new Map<string, SinkRoute<unknown>>([
    [
      topics.inference,
      {
        target: { table: INFERENCE_LOG, columns: INFERENCE_LOG_COLUMNS },
        decode: (v) => codecs.inference.decode(v),
        row: (e, at, now) => inferenceRow(e, at, now, config.sinkEmbeddings),
      } as SinkRoute<InferenceEvent>,
    ],
    [
      topics.groundTruth,
      {
        target: { table: GROUND_TRUTH, columns: GROUND_TRUTH_COLUMNS },
        decode: (v) => codecs.groundTruth.decode(v),
        row: groundTruthRow,
      } as SinkRoute<GroundTruthEvent>,
    ],
    [
      // The label joiner's transactional output: read_committed (kafkajs' default), so aborted pairs never land.
      topics.joined,
      {
        target: { table: LABELED_PREDICTIONS, columns: LABELED_PREDICTIONS_COLUMNS },
        decode: (v) => codecs.joined.decode(v),
        row: labeledPredictionRow,
      } as SinkRoute<JoinedPrediction>,
    ],
    [
      expirations.topic,
      {
        target: { table: JOIN_EXPIRATIONS, columns: JOIN_EXPIRATIONS_COLUMNS },
        decode: async (v) => decodeJoinExpiration(v),
        row: joinExpirationRow,
      } as SinkRoute<JoinExpiration>,
    ],
  ]);

  // Golden-set events are checked as they land (a mismatch is alerted at once, with no label to wait for), and
  // predictions naming their serving request are kept for shadow agreement.
  const sideOut = {
    writer,
    metrics,
    database: db,
    producer,
    alertsTopic: topics.alerts,
    encodeAlert: (a: Alert) => codecs.alert.encode(a),
  };
  // The slices of one fetch, all partitions together: one insert per topic and one write of side rows, so
  // ClickHouse writes (and later merges) one part per table per fetch rather than one per partition.
  const handleMany = async (batches: PartitionBatch[]) => {
    const now = Date.now();
    const side = new InferenceSideRows();
    // Rows are encoded as they are built (one RowBinary batch per table), so none outlives its event.
    const batchesByTable = new Map<TableColumns, RowBinaryBatch>();
    const rejected: Rejected[] = [];
    for (const { topic, partition, messages } of batches) {
      const route = routes.get(topic)!;
      let out = batchesByTable.get(route.target);
      if (!out) batchesByTable.set(route.target, (out = writer.rowBinaryBatch(route.target)));
      const batch = out;
      const decoded = await decodeBatch(topic, partition, messages, route.decode, (e, m) => {
        const at = { partition, offset: m.offset };
        if (topic === topics.inference) side.add(e as InferenceEvent, at, now);
        batch.add(route.row(e, at, now));
      });
      for (const r of decoded.rejected) rejected.push(r);
    }
    await publishDeadLetters(producer, topics.deadLetter, rejected);
    for (const r of rejected) {
      metrics.deadLetters.inc({ topic: r.topic, reason: r.reason });
    }
    if (rejected.length > 0)
      logger.warn(
        {
          topic: rejected[0]!.topic,
          partition: rejected[0]!.partition,
          rejected: rejected.length,
          first: rejected[0]!.error,
        },
        'sent to dead-letter topic',
      );
    for (const [target, batch] of batchesByTable) await writer.insertRowBinary(db, target, batch);
    await writeSideRows(sideOut, side, now);
  };

  await runCommittingConsumer({
    consumer,
    topics: [...routes.keys()],
    handleMany,
    logger,
    metrics,
    maxBatch: config.sinkBatchSize,
  });
  rt.setReady(true);
  logger.info({ topics: [...routes.keys()] }, 'sink running');
}

main().catch((error) => exitOnStartupError('sink', error));
