import { DriftlineError } from '../../core/src/errors.ts';

/** A state value or changelog record that is not what the joiner wrote. Not retriable: the store is rebuilt. */
export class CorruptStateError extends DriftlineError {
  constructor(message: string) {
    super(`label-joiner state: ${message}`, { retriable: false });
  }
}

/** A partition's task was asked to work after it was closed (revoked on rebalance): the batch is dropped. */
export class TaskClosedError extends DriftlineError {
  constructor(readonly partition: number) {
    super(`partition ${partition} is no longer assigned to this instance`, { retriable: true });
  }
}
