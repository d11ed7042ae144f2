import { DriftlineError } from '../errors.ts';

/**
 * An iterative special function did not converge. Never expected for finite inputs; a DriftlineError so
 * that `isRetriable` says no: the same computation fails the same way again.
 */
export class ConvergenceError extends DriftlineError {
  constructor(
    readonly what: string,
    readonly iterations: number,
  ) {
    super(`${what} did not converge in ${iterations} iterations`);
  }
}
