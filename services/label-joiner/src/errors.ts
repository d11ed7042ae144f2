import { DriftlineError } from '../../core/src/errors.ts';

/** A state value or changelog record that is not what the joiner wrote. Not retriable: the store is rebuilt. */
export class CorruptStateError extends DriftlineError {
  constructor(message: string) {
    super(`label-joiner state: ${message}`, { retriable: false });
  }
}
