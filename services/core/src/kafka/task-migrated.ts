import { DriftlineError } from '../errors.ts';

/**
 * A task's unit of state was taken over by another producer (fenced), as Kafka Streams' TaskMigratedException:
 * the task is closed without a checkpoint, and the consumer must rejoin its group to learn what it owns now.
 * Thrown from a kafkajs batch handler, it makes kafkajs rejoin: its runner rejoins the group on an error of
 * type REBALANCE_IN_PROGRESS instead of crashing. The join hands back the partition if it is still ours (the
 * broker aborted a transaction that ran past its timeout) and takes it away if another instance owns it.
 */
export class TaskMigratedError extends DriftlineError {
  /** Read by kafkajs' `isRebalancing`. */
  readonly type = 'REBALANCE_IN_PROGRESS';
  constructor(
    readonly partition: number,
    cause: unknown,
  ) {
    super(`partition ${partition} migrated: its producer was fenced; rejoining the group`, {
      retriable: true,
      cause,
    });
  }
}
