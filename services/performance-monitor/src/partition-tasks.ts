import { describe } from '../../core/src/errors.ts';
import { readChangelogEnds, restoreChangelog } from '../../core/src/kafka/changelog-restorer.ts';
import type { Kafka, KafkaMessage, Producer } from '../../core/src/kafka/client.ts';
import { isFencedError, openFencedProducer } from '../../core/src/kafka/fenced-producer.ts';
import { TaskMigratedError } from '../../core/src/kafka/task-migrated.ts';
import { commitPrepared, prepareBatch, type BatchWorkDeps, type PreparedBatch } from './batch-work.ts';
import type { PerformanceProcessor } from './processor.ts';

export interface PartitionTasksDeps extends BatchWorkDeps {
  kafka: Kafka;
  /** How long an open transaction of a crashed instance may hold back read_committed readers. */
  transactionTimeoutMs: number;
  newProcessor: () => PerformanceProcessor;
  /** DRIFTLINE_RESTORE_TIMEOUT_MS: how long reading the changelog to its end may take. */
  restoreTimeoutMs?: number;
  /** Moves the consumer of a source partition back to `offset` (kafkajs `seek`). */
  seek: (partition: number, offset: string) => void;
}

/** A batch that could not be made durable, and where to resume. */
interface Failure {
  error: unknown;
  fromOffset: string;
}

/** A source partition owned by this instance: its state and the producer whose transactions commit it. */
interface Task {
  partition: number;
  processor: PerformanceProcessor;
  producer: Producer;
  /** The batch being made durable; resolves to its failure, never rejects. */
  inFlight: Promise<Failure | undefined>;
}

/**
 * The partitions this instance owns, each with its own state and its own transactional producer
 * (`<group>-<topic>-<partition>`), as Kafka Streams' exactly-once v1: opening that producer fences any
 * zombie that still thinks it owns the partition and aborts its open transaction (openFencedProducer), and
 * only then is the state restored from the changelog. Every (re)join drops all tasks, because kafkajs tells
 * nothing about revoked partitions and another instance may have moved the state on in between.
 *
 * A paused instance wakes up believing in an assignment the group took back. It never opens a partition the
 * group did not assign to it (the coordinator is asked first, with a heartbeat), asks again before each
 * commit, and forgets a partition whose producer was fenced until a new assignment names it again (it rejoins
 * the group at once to get one): reopening it would fence the new owner in turn.
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
    await Promise.all(old.map((t) => this.drop(t)));
  }

  /**
   * Processes one fetched batch of a partition and starts making it durable: rows to ClickHouse, then
   * changelog, dead letters and offsets in one transaction. At most one batch per partition is in flight, so
   * the next batch is fetched and processed while the previous one is written. Records below the state's
   * checkpoint were applied already and are skipped: a redelivered batch changes nothing. On any failure the
   * task is dropped (its state may be ahead of what is durable) and restored from the changelog on the next
   * batch; when a batch in flight failed, the consumer is moved back to that batch's first offset first. A
   * batch of a partition not assigned here (any more) is left alone.
   * @param heartbeat the consumer's: throws when the group is rebalancing or forgot this member.
   */
  async handle(
    partition: number,
    messages: readonly KafkaMessage[],
    heartbeat: () => Promise<void> = async () => {},
  ): Promise<void> {
    const task = await this.task(partition, heartbeat);
    if (!task) return;
    const from = task.processor.nextOffset === undefined ? -1n : BigInt(task.processor.nextOffset);
    const fresh = messages.filter((m) => BigInt(m.offset) >= from);
    if (fresh.length === 0) return;
    let prepared: PreparedBatch;
    try {
      prepared = await prepareBatch(this.deps, partition, task.processor, fresh);
      await heartbeat();
    } catch (error) {
      await this.abandon(task);
      throw error;
    }
    const failure = await task.inFlight;
    if (failure || !this.owns(task)) {
      await this.abandon(task);
      if (failure && isFencedError(failure.error)) throw new TaskMigratedError(partition, failure.error);
      if (failure) throw failure.error;
      return;
    }
    task.inFlight = this.makeDurable(task, prepared);
  }

  /** Waits for the batches in flight, then lets go of every partition. */
  async close(): Promise<void> {
    await this.onAssignment([]);
  }

  private makeDurable(task: Task, batch: PreparedBatch): Promise<Failure | undefined> {
    return commitPrepared(this.deps, task.producer, batch).then(
      () => {
        this.deps.metrics.openWindows.set(
          { partition: String(task.partition) },
          task.processor.stats().windows,
        );
        return undefined;
      },
      (error: unknown) => {
        this.deps.metrics.transactions.inc({ result: 'failed' });
        this.deps.logger.warn(
          { partition: task.partition, fromOffset: batch.fromOffset, error: describe(error) },
          'batch not committed: the partition is restored and resumes at its first offset',
        );
        return { error, fromOffset: batch.fromOffset };
      },
    );
  }

  /** Whether the task is still the one of a partition assigned here. */
  private owns(task: Task): boolean {
    return this.assigned.has(task.partition) && this.tasks.get(task.partition) === task;
  }

  /**
   * Drops a task whose state may be ahead of what is durable; rewinds to a failed batch in flight. A fenced
   * batch means another instance owns the partition: it is forgotten until an assignment names it again.
   */
  private async abandon(task: Task): Promise<void> {
    const failure = await task.inFlight;
    if (failure && isFencedError(failure.error)) {
      this.deps.logger.warn({ partition: task.partition }, 'fenced: the partition moved to another instance');
      this.assigned.delete(task.partition);
    } else if (failure) this.deps.seek(task.partition, failure.fromOffset);
    await this.drop(task);
  }

  /** The partition's task, opened (fenced, restored) when needed; undefined when it is not assigned here. */
  private async task(partition: number, heartbeat: () => Promise<void>): Promise<Task | undefined> {
    for (;;) {
      if (!this.assigned.has(partition)) return undefined;
      const task = this.tasks.get(partition);
      if (task) return task;
      if (!this.restoring) await heartbeat();
      if (!this.assigned.has(partition)) return undefined;
      await (this.restoring ??= this.restoreMissing().finally(() => (this.restoring = undefined)));
    }
  }

  /** Fences, then restores, every assigned partition without a task, in one pass over the changelog. */
  private async restoreMissing(): Promise<void> {
    const generation = this.generation;
    const partitions = [...this.assigned].filter((p) => !this.tasks.has(p)).sort((a, b) => a - b);
    const started = performance.now();
    const settled = await Promise.allSettled(partitions.map((p) => this.createTask(p)));
    const created = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all(created.map((t) => t.producer.disconnect().catch(() => undefined)));
      throw failed.reason;
    }
    const byPartition = new Map(created.map((t) => [t.partition, t]));
    try {
      await this.restoreInto(byPartition, partitions);
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

  /** Replays the changelog of `partitions` into their new tasks' processors (core changelog reader). */
  private async restoreInto(tasks: ReadonlyMap<number, Task>, partitions: readonly number[]): Promise<void> {
    const { kafka, changelogTopic: topic, logger } = this.deps;
    const counts = await restoreChangelog({
      kafka,
      topic,
      ends: await readChangelogEnds(kafka, topic, partitions),
      groupPrefix: this.deps.groupId,
      timeoutMs: this.deps.restoreTimeoutMs,
      logger,
      apply: async (p, records) => {
        const processor = tasks.get(p)?.processor;
        for (const r of records) processor?.restore({ key: r.key, value: r.value?.toString() ?? null });
      },
    });
    const records = [...counts.values()].reduce((a, b) => a + b, 0);
    logger.info({ topic, partitions, records }, 'state restored from the changelog');
  }

  private async createTask(partition: number): Promise<Task> {
    const producer = await openFencedProducer(this.deps.kafka, {
      transactionalId: `${this.deps.groupId}-${this.deps.sourceTopic}-${partition}`,
      transactionTimeoutMs: this.deps.transactionTimeoutMs,
    });
    return { partition, processor: this.deps.newProcessor(), producer, inFlight: Promise.resolve(undefined) };
  }

  private async drop(task: Task): Promise<void> {
    if (this.tasks.get(task.partition) === task) this.tasks.delete(task.partition);
    await task.inFlight;
    await task.producer.disconnect().catch(() => undefined);
  }
}
