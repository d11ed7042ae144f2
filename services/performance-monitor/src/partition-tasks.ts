import { crashPoint } from '../../core/src/crash-point.ts';
import { DecodeError } from '../../core/src/errors.ts';
import type { Kafka, KafkaMessage, Producer } from '../../core/src/kafka/client.ts';
import type { Rejected } from '../../core/src/kafka/dead-letter.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { JoinedPrediction } from '../../core/src/records/records.generated.ts';
import { restoreChangelog } from './changelog-restore.ts';
import type { FlushResult } from './emit.ts';
import type { PerformanceMetrics } from './perf-metrics.ts';
import type { PerformanceProcessor } from './processor.ts';
import { commitBatch } from './transaction.ts';

export interface PartitionTasksDeps {
  kafka: Kafka;
  logger: Logger;
  metrics: PerformanceMetrics;
  groupId: string;
  sourceTopic: string;
  changelogTopic: string;
  deadLetterTopic: string;
  newProcessor: () => PerformanceProcessor;
  decode: (value: Buffer | null) => Promise<JoinedPrediction>;
  writeRows: (result: FlushResult) => Promise<void>;
}

/** A source partition owned by this instance: its state and the producer whose transactions commit it. */
interface Task {
  partition: number;
  processor: PerformanceProcessor;
  producer: Producer;
}

/**
 * The partitions this instance owns, each with its own state and its own transactional producer
 * (`<group>-<topic>-<partition>`), as Kafka Streams' exactly-once v1: initialising that producer fences any
 * zombie that still thinks it owns the partition and aborts its open transaction, and only then is the
 * state restored from the changelog. Every (re)join drops all tasks, because kafkajs tells nothing about
 * revoked partitions and another instance may have moved the state on in between.
 */
export class PartitionTasks {
  private tasks = new Map<number, Task>();
  private assigned = new Set<number>();
  private restoring: Promise<void> | undefined;
  private generation = 0;

  constructor(private readonly deps: PartitionTasksDeps) {}

  /** The group was (re)joined with these partitions of the source topic. */
  async onAssignment(partitions: readonly number[]): Promise<void> {
    this.generation += 1;
    this.assigned = new Set(partitions);
    const old = [...this.tasks.values()];
    this.tasks = new Map();
    await Promise.all(old.map((t) => t.producer.disconnect().catch(() => undefined)));
  }

  /**
   * Processes one fetched batch of a partition and commits it: rows to ClickHouse first, then changelog,
   * dead letters and offsets in one transaction. Records below the state's checkpoint were applied already
   * and are skipped, so a redelivered batch changes nothing. On any failure the task is dropped: its state
   * may hold uncommitted changes, and the next attempt restores it from the changelog.
   */
  async handle(partition: number, messages: readonly KafkaMessage[]): Promise<void> {
    const task = await this.task(partition);
    const from = task.processor.nextOffset === undefined ? -1n : BigInt(task.processor.nextOffset);
    const fresh = messages.filter((m) => BigInt(m.offset) >= from);
    if (fresh.length === 0) return;
    try {
      const rejected = await this.process(task, fresh);
      const nextOffset = (BigInt(fresh[fresh.length - 1]!.offset) + 1n).toString();
      const result = task.processor.flush(Number(nextOffset), nextOffset);
      await this.deps.writeRows(result);
      crashPoint('after-effect-before-commit');
      const bytes = await commitBatch({
        producer: task.producer,
        groupId: this.deps.groupId,
        source: { topic: this.deps.sourceTopic, partition },
        nextOffset,
        changelogTopic: this.deps.changelogTopic,
        changelog: result.changelog,
        deadLetterTopic: this.deps.deadLetterTopic,
        rejected,
      });
      this.record(task, result, bytes);
    } catch (error) {
      this.deps.metrics.transactions.inc({ result: 'failed' });
      await this.drop(task);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.onAssignment([]);
  }

  private async process(task: Task, messages: readonly KafkaMessage[]): Promise<Rejected[]> {
    const rejected: Rejected[] = [];
    const { metrics } = this.deps;
    const half = Math.floor(messages.length / 2);
    for (let i = 0; i < messages.length; i++) {
      if (i === half) crashPoint('mid-batch');
      const message = messages[i]!;
      const reject = (reason: string, error: string) =>
        rejected.push({ topic: this.deps.sourceTopic, partition: task.partition, message, reason, error });
      let record: JoinedPrediction;
      try {
        record = await this.deps.decode(message.value);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        reject(error.reason, error.message);
        continue;
      }
      const { outcome, detail } = task.processor.process(record);
      metrics.records.inc({ outcome });
      if (outcome === 'late') metrics.lateDropped.inc();
      if (outcome === 'invalid') reject('invalid_record', detail ?? 'unusable joined prediction');
    }
    return rejected;
  }

  private record(task: Task, result: FlushResult, bytes: number): void {
    const { metrics } = this.deps;
    metrics.transactions.inc({ result: 'committed' });
    metrics.changelogBytes.inc(bytes);
    metrics.windowsEmitted.inc({ final: '0' }, result.windowsEmitted - result.windowsFinal);
    metrics.windowsEmitted.inc({ final: '1' }, result.windowsFinal);
    metrics.openWindows.set({ partition: String(task.partition) }, task.processor.stats().windows);
  }

  private async task(partition: number): Promise<Task> {
    for (;;) {
      const task = this.tasks.get(partition);
      if (task) return task;
      this.assigned.add(partition);
      await (this.restoring ??= this.restoreMissing().finally(() => (this.restoring = undefined)));
    }
  }

  /** Fences, then restores, every assigned partition without a task, in one pass over the changelog. */
  private async restoreMissing(): Promise<void> {
    const generation = this.generation;
    const partitions = [...this.assigned].filter((p) => !this.tasks.has(p)).sort((a, b) => a - b);
    const started = performance.now();
    const created = await Promise.all(partitions.map((p) => this.createTask(p)));
    const byPartition = new Map(created.map((t) => [t.partition, t]));
    try {
      await restoreChangelog({
        kafka: this.deps.kafka,
        topic: this.deps.changelogTopic,
        partitions,
        groupPrefix: this.deps.groupId,
        apply: (p, entry) => byPartition.get(p)?.processor.restore(entry),
        logger: this.deps.logger,
      });
    } catch (error) {
      await Promise.all(created.map((t) => t.producer.disconnect().catch(() => undefined)));
      throw error;
    }
    if (generation !== this.generation) {
      // Reassigned while restoring: what was read may be stale already.
      await Promise.all(created.map((t) => t.producer.disconnect().catch(() => undefined)));
      return;
    }
    for (const t of created) this.tasks.set(t.partition, t);
    this.deps.metrics.restoreSeconds.observe((performance.now() - started) / 1000);
  }

  private async createTask(partition: number): Promise<Task> {
    const producer = this.deps.kafka.producer({
      transactionalId: `${this.deps.groupId}-${this.deps.sourceTopic}-${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: 10_000,
    });
    await producer.connect();
    // kafkajs sends the transactional InitProducerId only with the first transaction: start and abort an
    // empty one now, so the zombie is fenced and its open transaction aborted before the changelog is read.
    await (await producer.transaction()).abort();
    return { partition, processor: this.deps.newProcessor(), producer };
  }

  private async drop(task: Task): Promise<void> {
    if (this.tasks.get(task.partition) === task) this.tasks.delete(task.partition);
    await task.producer.disconnect().catch(() => undefined);
  }
}
