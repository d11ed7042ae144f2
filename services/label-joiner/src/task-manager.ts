import { describe, DriftlineError } from '../../core/src/errors.ts';
import { TaskMigratedError } from '../../core/src/kafka/task-migrated.ts';
import { TransactionFailedError } from '../../core/src/kafka/transactional-batch.ts';
import type { Logger } from '../../core/src/logger.ts';
import { writeCheckpoint } from '../../core/src/store/checkpoint.ts';
import type { PartitionTask } from './partition-task.ts';
import { checkpointFile } from './task-opener.ts';

export interface TaskManagerDeps {
  /** Opens the tasks of newly assigned partitions (restoring them when needed). */
  open: (partitions: readonly number[]) => Promise<Map<number, PartitionTask>>;
  stateDir: string;
  logger: Logger;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The group took the partition elsewhere while a batch ran: the batch was not committed. */
export class PartitionMovedError extends DriftlineError {
  constructor(partition: number) {
    super(`partition ${partition} is no longer assigned here; its batch was not committed`, {
      retriable: true,
    });
  }
}

/**
 * Follows the group's assignment: opens tasks for partitions that arrive, closes those that leave, and runs
 * batches on them one at a time per partition (the two topics of a partition share one store). A task whose
 * transaction failed is dropped and reopened from the changelog on its next batch, unless it was fenced.
 *
 * A paused instance (a long GC, SIGSTOP, a frozen VM) wakes up believing in an assignment the group took back.
 * Three rules keep it from harming the partition's new owner: before opening a task it asks the coordinator
 * (a heartbeat, which throws when the membership is gone); before each commit it asks again and checks that
 * the task is still the one assigned; and a task whose producer was fenced is closed and its partition
 * forgotten until a new assignment names it again (the consumer rejoins at once to get one): reopening it
 * would fence the new owner in turn.
 */
export class TaskManager {
  private assigned = new Set<number>();
  private readonly tasks = new Map<number, Promise<PartitionTask>>();
  private readonly locks = new Map<number, Promise<unknown>>();
  private closing: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: TaskManagerDeps) {}

  /** The new assignment (partition numbers), from the consumer's group-join event. */
  assign(partitions: readonly number[]): void {
    this.assigned = new Set(partitions);
    for (const [p, task] of this.tasks) if (!this.assigned.has(p)) this.drop(p, task, true);
    const added = partitions.filter((p) => !this.tasks.has(p));
    if (added.length > 0) this.startOpening(added);
  }

  /**
   * Runs `fn` on partition p's task once it is open, heartbeating while a restore runs. `fn` gets the
   * ownership check to run before each of its commits.
   * @returns false when p is not (or no longer) assigned here: the batch was not committed.
   * @throws the batch's error; the heartbeat's when the group is rebalancing; TaskMigratedError when the
   *   task was fenced. kafkajs rejoins the group on the last two.
   */
  async run(
    p: number,
    fn: (task: PartitionTask, ensureOwned: () => Promise<void>) => Promise<void>,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    if (!this.assigned.has(p)) return false;
    if (!this.tasks.has(p)) {
      await heartbeat();
      if (!this.assigned.has(p)) return false;
      if (!this.tasks.has(p)) this.startOpening([p]);
    }
    const opening = this.tasks.get(p)!;
    const task = await this.waitFor(p, opening, heartbeat);
    const ensureOwned = async () => {
      await heartbeat();
      if (!this.assigned.has(p) || this.tasks.get(p) !== opening) throw new PartitionMovedError(p);
    };
    return this.withLock(p, async () => {
      if (this.tasks.get(p) !== opening) return false;
      try {
        await fn(task, ensureOwned);
      } catch (error) {
        if (error instanceof PartitionMovedError) return false;
        if (error instanceof TransactionFailedError && error.fenced) {
          this.d.logger.warn({ partition: p, error: describe(error) }, 'fenced: rejoining the group');
          this.assigned.delete(p);
          this.drop(p, opening, false);
          throw new TaskMigratedError(p, error);
        }
        if (task.broken) this.drop(p, opening, false);
        throw error;
      }
      return true;
    });
  }

  /** Closes every task with a checkpoint (graceful shutdown). */
  async closeAll(): Promise<void> {
    this.assign([]);
    await this.closing;
  }

  private startOpening(partitions: number[]): void {
    const opened = this.closing.then(() => this.d.open(partitions));
    for (const p of partitions) {
      const task = opened.then((m) => m.get(p)!);
      task.catch(() => undefined);
      this.tasks.set(p, task);
    }
  }

  private async waitFor(
    p: number,
    opening: Promise<PartitionTask>,
    heartbeat: () => Promise<void>,
  ): Promise<PartitionTask> {
    try {
      for (;;) {
        const task = await Promise.race([opening, sleep(1000).then(() => undefined)]);
        if (task) return task;
        await heartbeat();
      }
    } catch (error) {
      if (this.tasks.get(p) === opening) this.tasks.delete(p);
      throw error;
    }
  }

  /** Forgets p's task and closes it once its running batch is done; a checkpoint only on a clean close. */
  private drop(p: number, opening: Promise<PartitionTask>, clean: boolean): void {
    if (this.tasks.get(p) === opening) this.tasks.delete(p);
    const closed = this.withLock(p, async () => {
      const task = await opening.catch(() => undefined);
      if (!task) return;
      await task
        .close()
        .catch((e) => this.d.logger.warn({ partition: p, error: describe(e) }, 'error closing'));
      const end = clean ? task.checkpoint : undefined;
      if (end !== undefined) await writeCheckpoint(checkpointFile(this.d.stateDir, p), end);
      this.d.logger.info({ partition: p, checkpoint: end?.toString() ?? null }, 'partition closed');
    }).catch((e) => this.d.logger.warn({ partition: p, error: describe(e) }, 'no checkpoint written'));
    this.closing = Promise.all([this.closing, closed]);
  }

  /** One batch at a time per partition. */
  private async withLock<T>(p: number, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(p) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(fn);
    this.locks.set(p, current);
    try {
      return await current;
    } finally {
      if (this.locks.get(p) === current) this.locks.delete(p);
    }
  }
}
