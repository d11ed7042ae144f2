import { RetriesExceededError } from '../errors.ts';
import { isRetriableKafkaError } from '../kafka/kafka-errors.ts';

/**
 * How a service tells its supervisor why it stopped (the BSD sysexits convention, which process managers read):
 * 75 (EX_TEMPFAIL) when starting again later can succeed (a server away, Kafka metadata of a just-created topic
 * not there yet), 1 when it cannot until something changes (a bad setting, a broken rules file).
 */
export const EXIT_CODES = { temporary: 75, failed: 1 } as const;

/**
 * Would a later start get past `error`? Retries that ran out count as their last cause: a start-up that waited
 * a minute for Kafka's metadata is worth another try in a fresh process.
 */
export function isTemporaryFailure(error: unknown): boolean {
  if (error instanceof RetriesExceededError) return isTemporaryFailure(error.cause);
  return isRetriableKafkaError(error);
}

/** The exit code for a service stopped by `error`. */
export function exitCodeFor(error: unknown): number {
  return isTemporaryFailure(error) ? EXIT_CODES.temporary : EXIT_CODES.failed;
}
