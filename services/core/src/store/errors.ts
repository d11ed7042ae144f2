import { DriftlineError } from '../errors.ts';

/**
 * A local state store cannot be opened, read or written. Not retriable by the batch loop: the partition's
 * store is rebuilt from its changelog instead (see the label joiner's task lifecycle).
 */
export class StoreError extends DriftlineError {
  constructor(
    readonly location: string,
    message: string,
    cause?: unknown,
  ) {
    super(`state store ${location}: ${message}`, { retriable: false, cause });
  }
}
