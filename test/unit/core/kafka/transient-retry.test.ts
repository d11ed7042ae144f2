// kafkajs' classes come after client.ts, which loads our kafkajs patches first.
import '../../../../services/core/src/kafka/client.ts';
import { createRequire } from 'node:module';
import {
  KafkaJSAggregateError,
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
} from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  RetriesExceededError,
  ServerUnavailableError,
} from '../../../../services/core/src/errors.ts';
import { isRetriableKafkaError } from '../../../../services/core/src/kafka/kafka-errors.ts';
import { retryTransient } from '../../../../services/core/src/kafka/transient-retry.ts';
import { createLogger } from '../../../../services/core/src/logger.ts';

const require = createRequire(import.meta.url);
/** kafkajs' own protocol errors, from its error-code table, as its response decoders throw them. */
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode: (code: number) => Error & { type: string; retriable: boolean };
};
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const LEADER_NOT_AVAILABLE = 5;
const GROUP_LOAD_IN_PROGRESS = 14;
const TOPIC_AUTHORIZATION_FAILED = 29;
const INVALID_REPLICATION_FACTOR = 38;
const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error;
const exhausted = (e: Error) =>
  new KafkaJSNumberOfRetriesExceeded(e, { retryCount: 8, retryTime: 1000 } as never);

describe('isRetriableKafkaError', () => {
  it('shouldCallTheJustCreatedTopicRaceRetriableWhateverKafkajsWrappedItIn', () => {
    const race = createErrorFromCode(UNKNOWN_TOPIC_OR_PARTITION);
    expect(race.message).toBe('This server does not host this topic-partition');
    expect(isRetriableKafkaError(race)).toBe(true);
    expect(isRetriableKafkaError(exhausted(race))).toBe(true);
    // kafkajs' retrier wraps what it gives up on with the original as the cause.
    expect(isRetriableKafkaError(new NonRetriable(race, { cause: race }))).toBe(true);
    expect(isRetriableKafkaError(new KafkaJSAggregateError('brokers', [race]))).toBe(true);
    expect(isRetriableKafkaError(createErrorFromCode(LEADER_NOT_AVAILABLE))).toBe(true);
    expect(isRetriableKafkaError(createErrorFromCode(GROUP_LOAD_IN_PROGRESS))).toBe(true);
    expect(isRetriableKafkaError(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(true);
    expect(isRetriableKafkaError(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('shouldCallAnswersNoRetryCuresNotRetriableWhenNothingInTheChainIsTransient', () => {
    expect(isRetriableKafkaError(createErrorFromCode(TOPIC_AUTHORIZATION_FAILED))).toBe(false);
    expect(isRetriableKafkaError(exhausted(createErrorFromCode(INVALID_REPLICATION_FACTOR)))).toBe(false);
    expect(isRetriableKafkaError(new KafkaJSNonRetriableError('Invalid topic undefined'))).toBe(false);
    expect(isRetriableKafkaError(new TypeError('x is not a function'))).toBe(false);
    expect(isRetriableKafkaError(undefined)).toBe(false);
  });

  it('shouldLetOurOwnRetriableFlagDecideWhenTheErrorIsOurs', () => {
    const race = createErrorFromCode(UNKNOWN_TOPIC_OR_PARTITION);
    expect(isRetriableKafkaError(new ServerUnavailableError('kafka', 'no leaders', race))).toBe(true);
    expect(isRetriableKafkaError(new ConfigError('DRIFTLINE_KAFKA_BROKERS', 'empty'))).toBe(false);
    expect(isRetriableKafkaError(new RetriesExceededError(20, race))).toBe(false);
  });
});

describe('retryTransient', () => {
  const logger = createLogger('test', 'silent');
  const options = { attempts: 5, sleep: async () => undefined };

  it('shouldRetryAMetadataRaceUntilItPassesWhenKafkajsGaveUpAtOnce', async () => {
    let calls = 0;
    const admin = retryTransient(
      {
        async fetchTopicOffsets(topic: string) {
          calls++;
          if (calls < 3) throw createErrorFromCode(UNKNOWN_TOPIC_OR_PARTITION);
          return [{ topic, partition: 0, offset: '0', high: '0', low: '0' }];
        },
      },
      ['fetchTopicOffsets'],
      logger,
      options,
    );
    expect(await admin.fetchTopicOffsets('t')).toEqual([
      { topic: 't', partition: 0, offset: '0', high: '0', low: '0' },
    ]);
    expect(calls).toBe(3);
  });

  it('shouldNotRetryAgainWhatKafkajsAlreadyRetriedUntilItGaveUp', async () => {
    let calls = 0;
    const admin = retryTransient(
      {
        async fetchTopicOffsets() {
          calls++;
          throw exhausted(createErrorFromCode(UNKNOWN_TOPIC_OR_PARTITION));
        },
      },
      ['fetchTopicOffsets'],
      logger,
      options,
    );
    await expect(admin.fetchTopicOffsets()).rejects.toThrow(/does not host this topic-partition/);
    expect(calls).toBe(1);
  });

  it('shouldThrowAtOnceWhenTheErrorIsNotTransient', async () => {
    let calls = 0;
    const admin = retryTransient(
      {
        async createTopics() {
          calls++;
          throw createErrorFromCode(INVALID_REPLICATION_FACTOR);
        },
      },
      ['createTopics'],
      logger,
      options,
    );
    await expect(admin.createTopics()).rejects.toThrow(/Replication-factor is invalid/);
    expect(calls).toBe(1);
  });

  it('shouldGiveUpWithTheLastCauseWhenTheRaceOutlastsTheAttempts', async () => {
    const consumer = retryTransient(
      {
        async subscribe() {
          throw createErrorFromCode(LEADER_NOT_AVAILABLE);
        },
      },
      ['subscribe'],
      logger,
      options,
    );
    const error = await consumer.subscribe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExceededError);
    expect((error as RetriesExceededError).attempts).toBe(5);
  });

  it('shouldKeepThisBoundAndLeaveOtherMethodsAlone', async () => {
    const target = {
      name: 'admin',
      async describe() {
        return this.name;
      },
      other: () => 'untouched',
    };
    const wrapped = retryTransient(target, ['describe', 'missing'], logger, options);
    expect(await wrapped.describe()).toBe('admin');
    expect(wrapped.other).toBe(target.other);
  });
});
