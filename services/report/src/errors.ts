import { DriftlineError } from '../../core/src/errors.ts';

/** A report that cannot be made from the given options or database. Not retriable: the input is at fault. */
export class ReportError extends DriftlineError {
  constructor(message: string, cause?: unknown) {
    super(`report: ${message}`, { retriable: false, cause });
  }
}
