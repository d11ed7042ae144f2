// kafkajs' classes come after client.ts, which loads our kafkajs patches first.
import '../../../../services/core/src/kafka/client.ts';
import { createRequire } from 'node:module';
import type { ConsumerRunConfig, EachBatchPayload } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  DriftlineError,
  RetriesExceededError,
  ServerUnavailableError,
} from '../../../../services/core/src/errors.ts';
import {
  BatchRetryError,
  forConsumer,
  retryingOutages,
} from '../../../../services/core/src/kafka/outage-retry.ts';

const require = createRequire(import.meta.url);
/** kafkajs' own retrier, the one its consumer runs a fetch-and-handle round in. */
const createRetry = require('kafkajs/src/retry/index.js') as (
  o: object,
) => <T>(fn: (bail: (e: Error) => void, n: number) => Promise<T>) => Promise<T>;

const outage = () =>
  new RetriesExceededError(
    6,
    new ServerUnavailableError('clickhouse', 'connect ECONNREFUSED 127.0.0.1:8123'),
  );

describe('forConsumer', () => {
  it('shouldMakeRetriesThatRanOutOnAServerStillAwayRetriable', () => {
    const given = outage();
    const error = forConsumer(given);
    expect(error).toBeInstanceOf(BatchRetryError);
    expect((error as BatchRetryError).retriable).toBe(true);
    expect((error as BatchRetryError).cause).toBe(given);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(forConsumer(new RetriesExceededError(3, refused))).toBeInstanceOf(BatchRetryError);
  });

  it('shouldLeaveEveryOtherErrorAsItIs', () => {
    const fenced = new DriftlineError('fenced by a newer instance', { retriable: false });
    const bug = new TypeError('x is not a function');
    const notTemporary = new RetriesExceededError(3, new DriftlineError('bad rule', { retriable: false }));
    for (const e of [fenced, bug, notTemporary, outage().cause]) expect(forConsumer(e)).toBe(e);
  });
});

describe('retryingOutages', () => {
  const payload = {} as EachBatchPayload;

  it('shouldLetKafkajsRetryTheBatchAndThenRestartTheConsumerWhenAServerStaysAway', async () => {
    let calls = 0;
    const config = retryingOutages({
      eachBatch: async () => {
        calls++;
        throw outage();
      },
    }) as ConsumerRunConfig;
    const retrier = createRetry({ retries: 2, initialRetryTime: 1, maxRetryTime: 2 });
    const error = (await retrier(() => config.eachBatch!(payload)).catch((e: unknown) => e)) as Error;
    // kafkajs tried again, then gave up with the error its consumer restarts after (consumer/index.js onCrash).
    expect(calls).toBe(3);
    expect(error.name).toBe('KafkaJSNumberOfRetriesExceeded');
  });

  it('shouldPassTheUnwrappedOutageToKafkajsAsFatal', async () => {
    // Without the wrapper: kafkajs gives up at once with an error its consumer does not restart after.
    let calls = 0;
    const retrier = createRetry({ retries: 2, initialRetryTime: 1, maxRetryTime: 2 });
    const error = (await retrier(async () => {
      calls++;
      throw outage();
    }).catch((e: unknown) => e)) as Error;
    expect(calls).toBe(1);
    expect(error.name).toBe('KafkaJSNonRetriableError');
  });

  it('shouldWrapEachMessageHandlersAndLeaveSuccessAlone', async () => {
    const config = retryingOutages({
      eachMessage: async () => {
        throw outage();
      },
    }) as ConsumerRunConfig;
    await expect(config.eachMessage!({} as never)).rejects.toBeInstanceOf(BatchRetryError);
    const ok = retryingOutages({ eachBatch: async () => undefined }) as ConsumerRunConfig;
    await expect(ok.eachBatch!(payload)).resolves.toBeUndefined();
    expect(retryingOutages(undefined)).toBeUndefined();
  });
});
