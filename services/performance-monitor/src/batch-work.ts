import { crashPoint } from '../../core/src/crash-point.ts';
import { DecodeError } from '../../core/src/errors.ts';
import {
  CompressionTypes,
  type KafkaMessage,
  type Message,
  type Producer,
} from '../../core/src/kafka/client.ts';
import { toDeadLetter, type Rejected } from '../../core/src/kafka/dead-letter.ts';
import { commitTransaction, type OutgoingRecords } from '../../core/src/kafka/transactional-batch.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { JoinedPrediction } from '../../core/src/records/records.generated.ts';
import { decodeJoinerTask, JOINER_TASK_HEADER } from '../../core/src/serde/joiner-task-header.ts';
import { decodePreviousLabel, PREVIOUS_LABEL_HEADER } from '../../core/src/serde/previous-label-header.ts';
import type { FlushResult } from './emit.ts';
import type { PerformanceMetrics } from './perf-metrics.ts';
import type { PerformanceProcessor, ProcessResult } from './processor.ts';

export interface BatchWorkDeps {
  logger: Logger;
  metrics: PerformanceMetrics;
  groupId: string;
  sourceTopic: string;
  changelogTopic: string;
  deadLetterTopic: string;
  /** Synchronous when it can be: a promise per record is a measurable cost at 50,000 records/s. */
  decode: (value: Buffer | null) => JoinedPrediction | Promise<JoinedPrediction>;
  writeRows: (result: FlushResult) => Promise<void>;
}

/** A processed batch, waiting to be made durable. */
export interface PreparedBatch {
  partition: number;
  /** First offset of the batch: where to resume if making it durable fails. */
  fromOffset: string;
  nextOffset: string;
  records: number;
  result: FlushResult;
  rejected: Rejected[];
  processMs: number;
}

/** Decodes and processes a batch, then flushes the processor. CPU only, apart from cached schema lookups. */
export async function prepareBatch(
  deps: BatchWorkDeps,
  partition: number,
  processor: PerformanceProcessor,
  messages: readonly KafkaMessage[],
): Promise<PreparedBatch> {
  const started = performance.now();
  const rejected: Rejected[] = [];
  const outcomes: Record<ProcessResult['outcome'], number> = {
    accepted: 0,
    corrected: 0,
    late: 0,
    correction: 0,
    invalid: 0,
  };
  const half = Math.floor(messages.length / 2);
  for (let i = 0; i < messages.length; i++) {
    if (i === half) crashPoint('mid-batch');
    const message = messages[i]!;
    let record: JoinedPrediction;
    try {
      const decoded = deps.decode(message.value);
      record = decoded instanceof Promise ? await decoded : decoded;
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      rejected.push({
        topic: deps.sourceTopic,
        partition,
        message,
        reason: error.reason,
        error: error.message,
      });
      continue;
    }
    const previous = record.correction
      ? decodePreviousLabel(message.headers?.[PREVIOUS_LABEL_HEADER])
      : undefined;
    const task = decodeJoinerTask(message.headers?.[JOINER_TASK_HEADER]);
    const { outcome, detail } = processor.process(record, previous, task);
    outcomes[outcome] += 1;
    if (outcome === 'invalid') {
      const error = detail ?? 'unusable joined prediction';
      rejected.push({ topic: deps.sourceTopic, partition, message, reason: 'invalid_record', error });
    }
  }
  for (const [outcome, n] of Object.entries(outcomes)) if (n > 0) deps.metrics.records.inc({ outcome }, n);
  if (outcomes.late > 0) deps.metrics.lateDropped.inc(outcomes.late);
  if (outcomes.correction > 0) {
    deps.logger.warn(
      { partition, skipped: outcomes.correction, header: PREVIOUS_LABEL_HEADER },
      'label corrections without a readable previous-label header skipped: the label they replace is unknown',
    );
  }
  const nextOffset = (BigInt(messages[messages.length - 1]!.offset) + 1n).toString();
  const result = processor.flush(Number(nextOffset), nextOffset);
  if (result.unmatchedCorrections > 0) {
    deps.metrics.unmatchedCorrections.inc(result.unmatchedCorrections);
    deps.logger.warn(
      { partition, corrections: result.unmatchedCorrections },
      'label corrections whose earlier pair was not in its window: the new label was added, nothing taken out',
    );
  }
  return {
    partition,
    fromOffset: messages[0]!.offset,
    nextOffset,
    records: messages.length,
    result,
    rejected,
    processMs: performance.now() - started,
  };
}

/**
 * Makes a prepared batch durable: rows to ClickHouse first (idempotent: full figures, deterministic
 * identity), then, in one Kafka transaction (core commitTransaction), the changelog records to the changelog
 * partition numbered like the source partition, the dead letters and the consumer offset: the state, the dead
 * letters and the position never disagree.
 * @throws TransactionFailedError after aborting (fenced: another instance owns the partition).
 */
export async function commitPrepared(
  deps: BatchWorkDeps,
  producer: Producer,
  transactionalId: string,
  b: PreparedBatch,
): Promise<void> {
  const started = performance.now();
  await deps.writeRows(b.result);
  const written = performance.now();
  crashPoint('after-effect-before-commit');
  let bytes = 0;
  const changelog: Message[] = b.result.changelog.map((e) => {
    bytes += e.key.length + (e.value?.length ?? 0);
    return { key: e.key, value: e.value, partition: b.partition };
  });
  const now = Date.now();
  const records: OutgoingRecords[] = [
    { topic: deps.changelogTopic, messages: changelog },
    { topic: deps.deadLetterTopic, messages: b.rejected.map((x) => toDeadLetter(x, now)) },
  ].filter((r) => r.messages.length > 0);
  const consumed = {
    consumerGroupId: deps.groupId,
    topics: [{ topic: deps.sourceTopic, partitions: [{ partition: b.partition, offset: b.nextOffset }] }],
  };
  // Window states are JSON: gzip keeps a many-class state far below the broker's record-batch limit.
  await commitTransaction(producer, transactionalId, records, consumed, {
    compression: CompressionTypes.GZIP,
  });
  const { metrics } = deps;
  metrics.transactions.inc({ result: 'committed' });
  metrics.changelogBytes.inc(bytes);
  metrics.windowsEmitted.inc({ final: '0' }, b.result.windowsEmitted - b.result.windowsFinal);
  metrics.windowsEmitted.inc({ final: '1' }, b.result.windowsFinal);
  const ms = (x: number) => Math.round(x);
  deps.logger.debug(
    {
      partition: b.partition,
      records: b.records,
      processMs: ms(b.processMs),
      writeMs: ms(written - started),
      commitMs: ms(performance.now() - written),
    },
    'batch committed',
  );
}
