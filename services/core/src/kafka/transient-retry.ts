import { describe } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { withRetry, type RetryOptions } from '../retry.ts';
import { isRetriableKafkaError } from './kafka-errors.ts';

/**
 * Admin calls that only read metadata or create what is missing: safe to repeat. kafkajs gives up on some
 * transient answers in them at once (kafka-errors.ts), which on a just-created topic made start-up fatal.
 */
export const RETRIED_ADMIN_CALLS = [
  'createTopics',
  'createPartitions',
  'listTopics',
  'fetchTopicMetadata',
  'fetchTopicOffsets',
  'fetchTopicOffsetsByTimestamp',
  'fetchOffsets',
  'describeGroups',
  'listGroups',
  'describeCluster',
  'describeConfigs',
] as const;

/** Consumer calls kafkajs does not retry on metadata of a just-created topic. */
export const RETRIED_CONSUMER_CALLS = ['subscribe'] as const;

/**
 * About a minute of attempts: a fresh KRaft broker's metadata trails its controller by seconds, more under
 * load; a broker away for longer is a failure the caller must see.
 */
export const TRANSIENT_RETRY: RetryOptions = { attempts: 20, initialMs: 200, maxMs: 5000 };

/**
 * Transient, and not already retried by kafkajs: its own retrier gives up with KafkaJSNumberOfRetriesExceeded
 * after about half a minute of back-off; retrying that again would multiply the wait (a topic that does not
 * exist would take minutes to report).
 */
function retriedHere(error: unknown): boolean {
  return (error as Error)?.name !== 'KafkaJSNumberOfRetriesExceeded' && isRetriableKafkaError(error);
}

/**
 * Wraps the named methods of `target` (in place) so that a transient Kafka error kafkajs gave up on at once
 * (isRetriableKafkaError) is retried with back-off and jitter; any other error is thrown as before.
 * @returns target
 */
export function retryTransient<T extends object>(
  target: T,
  methods: readonly string[],
  logger: Logger,
  options: RetryOptions = TRANSIENT_RETRY,
): T {
  const callable = target as Record<string, unknown>;
  for (const name of methods) {
    const original = callable[name];
    if (typeof original !== 'function') continue;
    const call = (original as (...args: unknown[]) => Promise<unknown>).bind(target);
    callable[name] = (...args: unknown[]) =>
      withRetry(() => call(...args), {
        ...options,
        retriable: retriedHere,
        onRetry: (error, attempt, waitMs) =>
          logger.warn(
            { call: name, attempt, waitMs, error: describe(error) },
            'kafka not ready yet, retrying',
          ),
      });
  }
  return target;
}
