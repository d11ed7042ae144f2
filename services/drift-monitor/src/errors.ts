import { DriftlineError } from '../../core/src/errors.ts';

/** A reference profile that cannot be built or read back. Not retriable: the input is at fault. */
export class ProfileError extends DriftlineError {
  constructor(
    readonly modelId: string,
    readonly modelVersion: string,
    message: string,
    cause?: unknown,
  ) {
    super(`reference profile of ${modelId}@${modelVersion}: ${message}`, { retriable: false, cause });
  }
}

/** A reference data set (a file or a time range) that cannot be read. Not retriable. */
export class ReferenceSourceError extends DriftlineError {
  constructor(
    readonly source: string,
    message: string,
    cause?: unknown,
  ) {
    super(`reference data ${source}: ${message}`, { retriable: false, cause });
  }
}

/** A persisted partial window state or detector state that does not match its profile. Not retriable. */
export class DriftStateError extends DriftlineError {
  constructor(message: string, cause?: unknown) {
    super(`drift state: ${message}`, { retriable: false, cause });
  }
}

/** A command-line usage error; the message says what is valid. */
export class UsageError extends DriftlineError {
  constructor(message: string) {
    super(message, { retriable: false });
  }
}
