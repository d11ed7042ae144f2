// Types straight from kafkajs (erased at run time): client.ts imports this file, so importing it back is a cycle.
import type { ConsumerRunConfig } from 'kafkajs';
import { describe, DriftlineError, RetriesExceededError } from '../errors.ts';
import { isTemporaryFailure } from '../runtime/exit-codes.ts';

/**
 * A batch handler ran out of its own retries on a server that is still away (ClickHouse stopped, the registry
 * restarting). Retriable: kafkajs backs off and hands the batch over again, and when its own retries run out it
 * restarts the consumer in-process (its crash path restarts after KafkaJSNumberOfRetriesExceeded). The
 * RetriesExceededError it replaces is not retriable, so that retries do not nest; given to kafkajs as it is, it
 * made kafkajs stop the consumer for good and the service exit over an outage.
 */
export class BatchRetryError extends DriftlineError {
  constructor(cause: RetriesExceededError) {
    super(`a server is still away, the batch will be read again: ${describe(cause)}`, {
      retriable: true,
      cause,
    });
  }
}

/**
 * What a consumer's handler should throw to kafkajs for `error`: BatchRetryError for retries that ran out on a
 * temporary failure (exit-codes.ts: a server away, Kafka metadata not ready), `error` itself otherwise (a fenced
 * producer, a programming error: kafkajs stops the consumer and the service exits). Pure.
 */
export function forConsumer(error: unknown): unknown {
  return error instanceof RetriesExceededError && isTemporaryFailure(error)
    ? new BatchRetryError(error)
    : error;
}

/** The consumer's run configuration with its handler's errors passed through forConsumer. */
export function retryingOutages(config: ConsumerRunConfig | undefined): ConsumerRunConfig | undefined {
  const { eachBatch, eachMessage } = config ?? {};
  if (eachBatch) {
    return {
      ...config,
      eachBatch: async (payload) => {
        try {
          return await eachBatch(payload);
        } catch (error) {
          throw forConsumer(error);
        }
      },
    };
  }
  if (eachMessage) {
    return {
      ...config,
      eachMessage: async (payload) => {
        try {
          return await eachMessage(payload);
        } catch (error) {
          throw forConsumer(error);
        }
      },
    };
  }
  return config;
}
