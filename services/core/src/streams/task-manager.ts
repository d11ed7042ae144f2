import { describe } from '../errors.ts';
import { TaskMigratedError } from '../kafka/task-migrated.ts';
import type { Logger } from '../logger.ts';
import { PartitionMovedError, wasFenced, type PartitionTask, type TaskBatch } from './partition-task.ts';

export interface TaskManagerDeps<T extends PartitionTask> {
  /** Opens the tasks of newly assigned partitions: fenced producers first, then the restore (task-opener.ts). */
  open: (partitions: readonly number[]) => Promise<Map<number, T>>;
  logger: Logger;
  /**
   * Reopen every task on each (re)join, not only the newly assigned ones. For tasks with effects outside Kafka
   * (rows written before their transaction): fencing refuses a stale task's commit, but not those writes, and
   * kafkajs does not say whether a partition that is still ours was someone else's in between.
   * @default false
   */
  reopenOnRejoin?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows the group's assignment, as Kafka Streams' TaskManager: opens tasks for partitions that arrive, closes
 * those that leave, and runs batches on them one at a time per partition (the topics of a partition share one
 * state). A broken task (its state may be ahead of what is durable) is dropped and reopened from the changelog
 * on its next batch, unless it was fenced.
 *
 * A paused instance (a long GC, SIGSTOP, a frozen VM) wakes up believing in an assignment the group took back.
 * Three rules keep it from harming the partition's new owner: before opening a task it asks the coordinator
 * (a heartbeat, which throws when the membership is gone); before each commit it asks again and checks that
 * the task is still the one assigned; and a task whose producer was fenced is closed and its partition
 * forgotten until a new assignment names it again (the consumer rejoins at once to get one): reopening it
 * would fence the new owner in turn.
 */
export class TaskManager<T extends PartitionTask> {
  private assigned = new Set<number>();
  private readonly tasks = new Map<number, Promise<T>>();
  private readonly locks = new Map<number, Promise<unknown>>();
  private closing: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: TaskManagerDeps<T>) {}

  /** The new assignment (partition numbers), from the consumer's group-join event. */
  assign(partitions: readonly number[]): void {
    this.assigned = new Set(partitions);
    const reopen = this.d.reopenOnRejoin ?? false;
    for (const [p, task] of this.tasks) if (reopen || !this.assigned.has(p)) this.drop(p, task, true);
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
  async run(p: number, fn: TaskBatch<T>, heartbeat: () => Promise<void>): Promise<boolean> {
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
        if (wasFenced(error)) {
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

  /** Closes every task cleanly (graceful shutdown), once its running batch is done. */
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

  private async waitFor(p: number, opening: Promise<T>, heartbeat: () => Promise<void>): Promise<T> {
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

  /** Forgets p's task and closes it once its running batch is done; clean unless it failed or was fenced. */
  private drop(p: number, opening: Promise<T>, clean: boolean): void {
    if (this.tasks.get(p) === opening) this.tasks.delete(p);
    const closed = this.withLock(p, async () => {
      const task = await opening.catch(() => undefined);
      if (!task) return;
      await task.close(clean && !task.broken);
      this.d.logger.info({ partition: p, clean }, 'partition closed');
    }).catch((e) => this.d.logger.warn({ partition: p, error: describe(e) }, 'error closing'));
    this.closing = Promise.all([this.closing, closed]);
  }

  /** One batch at a time per partition. */
  private async withLock<R>(p: number, fn: () => Promise<R>): Promise<R> {
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
