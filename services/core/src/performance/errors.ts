/**
 * Errors of the performance library, kept in one file (as kafkajs keeps `src/errors.js`).
 *
 * Every error here is a programming or data error: none is retriable, because repeating the same
 * pure computation on the same input fails the same way.
 */

/** Base class: carries `retriable` (always false here) and an optional `cause`. */
export class PerformanceError extends Error {
  readonly retriable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A class score was not a finite number in [0, 1]. */
export class InvalidScoreError extends PerformanceError {
  constructor(
    readonly label: string,
    readonly score: unknown,
  ) {
    super(`score for class "${label}" must be a finite number in [0, 1], got ${String(score)}`);
  }
}

/** A regression target or prediction was not a finite number. */
export class InvalidValueError extends PerformanceError {
  constructor(
    readonly field: string,
    readonly value: unknown,
  ) {
    super(`${field} must be a finite number, got ${String(value)}`);
  }
}

/** Two states built with different options (bin counts, epsilon, capacity) cannot be merged. */
export class IncompatibleStateError extends PerformanceError {
  constructor(
    readonly option: string,
    readonly left: unknown,
    readonly right: unknown,
  ) {
    super(`cannot merge states with different ${option}: ${String(left)} vs ${String(right)}`);
  }
}

/** `fromJSON` got something that is not a state this version wrote. */
export class InvalidStateJsonError extends PerformanceError {
  constructor(
    readonly path: string,
    expected: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid state JSON at ${path}: expected ${expected}`, options);
  }
}

/** An option was out of range; the message lists the valid range or values. */
export class InvalidOptionError extends PerformanceError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    valid: string,
  ) {
    super(`invalid ${option}: ${String(value)} (valid: ${valid})`);
  }
}

/** Removing a sample that the state does not hold (a count would become negative). */
export class StateUnderflowError extends PerformanceError {
  constructor(what: string) {
    super(`cannot revert ${what}: the state holds no such sample`);
  }
}

/** A test needs more samples than it was given (e.g. an empty window, or n < 2 for a variance). */
export class InsufficientDataError extends PerformanceError {
  constructor(
    readonly test: string,
    detail: string,
  ) {
    super(`${test}: insufficient data (${detail})`);
  }
}

/** Thrown by the special functions behind the p-values; re-exported so this library still names it. */
export { ConvergenceError } from '../math/errors.ts';
