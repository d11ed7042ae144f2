import { describe } from '../../core/src/errors.ts';
import type { KafkaMessage, Producer } from '../../core/src/kafka/client.ts';
import { wasFenced, type PartitionTask } from '../../core/src/streams/partition-task.ts';
import type { TaskStates } from '../../core/src/streams/task-opener.ts';
import { commitPrepared, prepareBatch, type BatchWorkDeps, type PreparedBatch } from './batch-work.ts';
import type { PerformanceProcessor } from './processor.ts';

export interface PerformanceTaskDeps extends BatchWorkDeps {
  newProcessor: () => PerformanceProcessor;
  /** Moves the consumer of a source partition back to `offset` (kafkajs `seek`). */
  seek: (partition: number, offset: string) => void;
}

/** A batch that could not be made durable, and where to resume. */
interface Failure {
  error: unknown;
  fromOffset: string;
}

/** The transactional id of source partition p's task. */
export const transactionalIdOf = (groupId: string, sourceTopic: string, p: number): string =>
  `${groupId}-${sourceTopic}-${p}`;

/**
 * A source partition owned by this instance: its window state (in memory, restored from the changelog by the
 * core task opener) and the fenced producer whose transactions commit it. At most one batch is in flight, so
 * the next batch is processed while the previous one is written.
 */
export class PerformanceTask implements PartitionTask {
  broken = false;
  /** The batch being made durable; resolves to its failure, never rejects. */
  private inFlight: Promise<Failure | undefined> = Promise.resolve(undefined);

  constructor(
    readonly partition: number,
    private readonly processor: PerformanceProcessor,
    private readonly producer: Producer,
    private readonly transactionalId: string,
    private readonly deps: PerformanceTaskDeps,
  ) {}

  /**
   * Processes one fetched batch and starts making it durable: rows to ClickHouse, then changelog, dead letters
   * and offsets in one transaction. Records below the state's checkpoint were applied already and are skipped:
   * a redelivered batch changes nothing. Any failure breaks the task (its state may be ahead of what is
   * durable; the task manager reopens it from the changelog); when the batch in flight failed, the consumer is
   * first moved back to that batch's first offset, unless it was fenced (the partition is someone else's).
   * @param ensureOwned asks the coordinator and the task manager, before the batch is sent to be committed.
   */
  async handle(messages: readonly KafkaMessage[], ensureOwned: () => Promise<void>): Promise<void> {
    const from = this.processor.nextOffset === undefined ? -1n : BigInt(this.processor.nextOffset);
    const fresh = messages.filter((m) => BigInt(m.offset) >= from);
    if (fresh.length === 0) return;
    let prepared: PreparedBatch;
    try {
      prepared = await prepareBatch(this.deps, this.partition, this.processor, fresh);
      await this.settleInFlight();
      await ensureOwned();
    } catch (error) {
      this.broken = true;
      await this.settleInFlight();
      throw error;
    }
    this.inFlight = this.makeDurable(prepared);
  }

  /** Waits for the batch in flight, then lets go of the producer. */
  async close(): Promise<void> {
    await this.inFlight;
    await this.producer.disconnect().catch(() => undefined);
  }

  /** Throws the failure of the batch in flight, after moving the consumer back to it when it was not fenced. */
  private async settleInFlight(): Promise<void> {
    const failure = await this.inFlight;
    if (!failure) return;
    this.broken = true;
    this.inFlight = Promise.resolve(undefined);
    if (!wasFenced(failure.error)) this.deps.seek(this.partition, failure.fromOffset);
    throw failure.error;
  }

  private makeDurable(batch: PreparedBatch): Promise<Failure | undefined> {
    return commitPrepared(this.deps, this.producer, this.transactionalId, batch).then(
      () => {
        this.deps.metrics.openWindows.set(
          { partition: String(this.partition) },
          this.processor.stats().windows,
        );
        return undefined;
      },
      (error: unknown) => {
        this.deps.metrics.transactions.inc({ result: 'failed' });
        this.deps.logger.warn(
          { partition: this.partition, fromOffset: batch.fromOffset, error: describe(error) },
          'batch not committed: the partition is restored and resumes at its first offset',
        );
        return { error, fromOffset: batch.fromOffset };
      },
    );
  }
}

/** The performance monitor's state per partition: a fresh processor, always replayed from the changelog. */
export function performanceTaskStates(deps: PerformanceTaskDeps): TaskStates<PerformanceTask> {
  const processors = new Map<number, PerformanceProcessor>();
  return {
    async prepare(p) {
      processors.set(p, deps.newProcessor());
      return true;
    },
    async restore(p, records) {
      const processor = processors.get(p);
      for (const r of records) processor?.restore({ key: r.key, value: r.value?.toString() ?? null });
    },
    async create({ partition, producer, transactionalId }) {
      const processor = processors.get(partition)!;
      processors.delete(partition);
      return new PerformanceTask(partition, processor, producer, transactionalId, deps);
    },
    async discard(partitions) {
      for (const p of partitions) processors.delete(p);
    },
  };
}
