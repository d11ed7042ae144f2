/**
 * Named errors of the statistics library. None is retriable: each one means the
 * caller passed data or options that will fail the same way on every retry.
 */

/** Base class: every statistics error is permanent (`retriable: false`). */
export class StatsError extends Error {
  readonly retriable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A test needs at least one (non-missing) observation in a sample that has none. */
export class EmptySampleError extends StatsError {
  constructor(readonly sample: string) {
    super(`sample "${sample}" is empty: at least one non-missing value is needed`);
  }
}

/** A sample holds a value a test cannot use (NaN, ±Infinity, a negative count, ...). */
export class InvalidSampleError extends StatsError {
  constructor(
    readonly sample: string,
    readonly detail: string,
  ) {
    super(`sample "${sample}" is invalid: ${detail}`);
  }
}

/** An option is outside its documented domain. */
export class InvalidOptionError extends StatsError {
  constructor(
    readonly option: string,
    readonly detail: string,
  ) {
    super(`option "${option}" is invalid: ${detail}`);
  }
}

/** Two binned states that do not share the same bin edges were combined. */
export class IncompatibleBinsError extends StatsError {
  constructor(detail: string) {
    super(`histograms do not share the same bin edges: ${detail}`);
  }
}

/** A persisted state could not be read back. */
export class StateFormatError extends StatsError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`cannot restore statistics state: ${detail}`, options);
  }
}

/** A stattest name that is not registered; the message lists the valid names. */
export class UnknownStatTestError extends StatsError {
  constructor(
    readonly requested: string,
    readonly valid: readonly string[],
  ) {
    super(`unknown stattest "${requested}"; valid names: ${valid.join(', ')}`);
  }
}

/** A stattest applied to a feature type it does not support; lists the allowed types. */
export class UnsupportedFeatureTypeError extends StatsError {
  constructor(
    readonly test: string,
    readonly featureType: string,
    readonly allowed: readonly string[],
  ) {
    super(`stattest "${test}" does not apply to ${featureType} features; allowed: ${allowed.join(', ')}`);
  }
}
