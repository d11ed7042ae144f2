/**
 * Errors raised by the drift detectors. None is retriable: the same name, params, snapshot or
 * input fails the same way on every attempt, so callers should route the offending config or
 * record to their bad-record handling instead of retrying.
 */
export class DriftDetectorError extends Error {
  /** Always false: see the module comment. */
  readonly retriable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A detector name that the registry does not know; the message lists the valid names. */
export class UnknownDetectorError extends DriftDetectorError {
  constructor(
    readonly detector: string,
    readonly validNames: readonly string[],
  ) {
    super(`unknown drift detector '${detector}'; valid detectors: ${validNames.join(', ')}`);
  }
}

/** A parameter that is not known to the detector, or whose value is out of range. */
export class InvalidDetectorParamError extends DriftDetectorError {
  constructor(
    readonly detector: string,
    readonly param: string,
    message: string,
  ) {
    super(`${detector}: ${message}`);
  }
}

/** A snapshot given to `fromJSON()` that was not produced by the same detector's `toJSON()`. */
export class InvalidDetectorStateError extends DriftDetectorError {
  constructor(
    readonly detector: string,
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${detector} snapshot: ${message}`, options);
  }
}

/** An input value the detector cannot use (NaN, ±Infinity, or not 0/1 for binary detectors). */
export class InvalidDriftInputError extends DriftDetectorError {
  constructor(
    readonly detector: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${detector}: input must be ${expected}, got ${String(value)}`);
  }
}
