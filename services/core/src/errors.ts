/**
 * Every error Driftline throws on purpose. `retriable` tells the retry loop whether trying again can help;
 * `cause` keeps the original error so the crash path can follow it back.
 */
export class DriftlineError extends Error {
  readonly retriable: boolean;
  constructor(message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
  }
}

/** A setting is missing or invalid. Thrown at start-up; names the setting (env var or file key). */
export class ConfigError extends DriftlineError {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`invalid configuration: ${setting}: ${message}`);
  }
}

/** A time range that cannot be read: a bound in none of the formats, or `from` not before `to`. Not retriable. */
export class TimeRangeError extends DriftlineError {
  constructor(message: string) {
    super(message, { retriable: false });
  }
}

/** Why an event was rejected: the reason code becomes a dead-letter header. */
export type RejectReason =
  | 'unknown_encoding'
  | 'unknown_schema_id'
  | 'schema_mismatch'
  | 'avro_decode_failed'
  | 'json_parse_failed'
  | 'invalid_record'
  /** A record whose Kafka key is not its prediction_id: the join places records by key, so it could never join. */
  | 'key_mismatch'
  /** A record batch that could not be decompressed or decoded (kafka/undecodable-batch.ts). */
  | 'undecodable_batch';

/** A value that cannot be turned into a valid record. Never retriable: the value goes to the dead-letter topic. */
export class DecodeError extends DriftlineError {
  constructor(
    readonly reason: RejectReason,
    message: string,
    cause?: unknown,
  ) {
    super(message, { retriable: false, cause });
  }
}

/** A server did not answer (Kafka, registry, ClickHouse). Retriable. */
export class ServerUnavailableError extends DriftlineError {
  constructor(
    readonly server: string,
    message: string,
    cause?: unknown,
  ) {
    super(`${server}: ${message}`, { retriable: true, cause });
  }
}

/** Retries ran out; `cause` is the last error. */
export class RetriesExceededError extends DriftlineError {
  constructor(
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`gave up after ${attempts} attempts: ${describe(cause)}`, { retriable: false, cause });
  }
}

/** A readable one-line description of anything thrown. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Follows the `cause` chain: is any link marked retriable? Errors we did not make count as retriable (network). */
export function isRetriable(error: unknown): boolean {
  if (error instanceof DriftlineError) return error.retriable;
  return true;
}
