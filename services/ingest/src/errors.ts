import { DriftlineError } from '../../core/src/errors.ts';

/** A request refused as a whole, with the HTTP status that says why. Not retriable as sent (but 429/503 are). */
export class IngestRequestError extends DriftlineError {
  constructor(
    readonly status: number,
    message: string,
    options: { retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
