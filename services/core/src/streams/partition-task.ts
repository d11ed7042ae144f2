import { DriftlineError } from '../errors.ts';
import { isFencedError } from '../kafka/fenced-producer.ts';
import { TransactionFailedError } from '../kafka/transactional-batch.ts';

/**
 * What a service supplies for one partition it owns, as Kafka Streams' StreamTask: its state (restored from the
 * changelog by the opener before the task exists), the processing of a batch into records produced in one
 * transaction with the consumed offsets, and its close. The task manager (task-manager.ts) owns the lifecycle
 * around it: assignment, opening, one batch at a time, ownership checks, fencing and reopening.
 */
export interface PartitionTask {
  readonly partition: number;
  /**
   * Set once the task's state may disagree with what is durable (a transaction failed, a batch was processed
   * but not committed): the manager drops it, and its next batch reopens it from the changelog.
   */
  readonly broken: boolean;
  /**
   * Lets go of the task's producer and state. `clean` when the partition was revoked with the task intact (a
   * task may then keep its local state for its next owner here, such as a checkpoint beside its store);
   * false after a failure or a fence.
   */
  close(clean: boolean): Promise<void>;
}

/**
 * Runs a task's batch. `ensureOwned` must be awaited before each commit: it asks the coordinator (a heartbeat)
 * and checks that the task is still the one assigned, and throws PartitionMovedError otherwise.
 */
export type TaskBatch<T extends PartitionTask> = (task: T, ensureOwned: () => Promise<void>) => Promise<void>;

/** The group took the partition elsewhere while a batch ran: the batch was not committed. */
export class PartitionMovedError extends DriftlineError {
  constructor(partition: number) {
    super(`partition ${partition} is no longer assigned here; its batch was not committed`, {
      retriable: true,
    });
  }
}

/** Whether a batch failed because another producer took over the task's transactional id. */
export const wasFenced = (error: unknown): boolean =>
  error instanceof TransactionFailedError ? error.fenced : isFencedError(error);
