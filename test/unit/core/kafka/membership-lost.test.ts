// kafkajs' classes come after client.ts, which loads our kafkajs patches first.
import '../../../../services/core/src/kafka/client.ts';
import { createRequire } from 'node:module';
import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { Consumer, EachBatchPayload } from '../../../../services/core/src/kafka/client.ts';
import { runCommittingConsumer } from '../../../../services/core/src/kafka/committing-consumer.ts';
import { lostMembership, MembershipLostError } from '../../../../services/core/src/kafka/membership-lost.ts';
import { createLogger } from '../../../../services/core/src/logger.ts';

const require = createRequire(import.meta.url);
/** kafkajs' own protocol errors, from its error-code table, as its response decoders throw them. */
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
  createErrorFromCode: (code: number) => Error & { type: string; retriable: boolean };
};
const { isRebalancing } = require('kafkajs/src/errors.js') as { isRebalancing: (e: unknown) => boolean };
const ILLEGAL_GENERATION = 22;
const UNKNOWN_MEMBER_ID = 25;
const REBALANCE_IN_PROGRESS = 27;
const NOT_LEADER = 6;
const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error, o: { cause: Error }) => Error;
const exhausted = (e: Error) =>
  new KafkaJSNumberOfRetriesExceeded(e, { retryCount: 8, retryTime: 1000 } as never);

describe('lostMembership', () => {
  it('shouldFindTheBrokersAnswerInsideWhateverKafkajsWrappedItIn', () => {
    for (const code of [ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS]) {
      const answer = createErrorFromCode(code);
      expect(lostMembership(answer)).toBe(answer);
      expect(lostMembership(new NonRetriable(answer, { cause: answer }))).toBe(answer);
      expect(lostMembership(exhausted(answer))).toBe(answer);
    }
  });

  it('shouldFindNothingInOtherErrors', () => {
    const notLeader = createErrorFromCode(NOT_LEADER);
    expect(lostMembership(notLeader)).toBeUndefined();
    expect(lostMembership(exhausted(notLeader))).toBeUndefined();
    expect(lostMembership(new Error('socket hang up'))).toBeUndefined();
    expect(lostMembership(undefined)).toBeUndefined();
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(lostMembership(loop)).toBeUndefined();
  });
});

/** A consumer that hands one batch to the handler and refuses its commit with `refusal`. */
function refusingConsumer(refusal: Error) {
  let eachBatch: ((p: EachBatchPayload) => Promise<void>) | undefined;
  const resolved: string[] = [];
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: () => undefined,
    subscribe: async () => undefined,
    run: async (config: { eachBatch: typeof eachBatch }) => {
      eachBatch = config.eachBatch;
    },
    commitOffsets: async () => {
      throw refusal;
    },
  } as unknown as Consumer;
  const deliver = () =>
    eachBatch!({
      batch: {
        topic: 't',
        partition: 2,
        messages: [{ offset: '7', key: null, value: null }],
        offsetLag: () => '0',
      },
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
      resolveOffset: (o: string) => resolved.push(o),
    } as unknown as EachBatchPayload);
  return { consumer, deliver, resolved };
}

describe('runCommittingConsumer', () => {
  const logger = createLogger('test', 'silent');

  it('shouldRejoinRatherThanCrashWhenTheCommitIsRefusedToAMemberTheGroupWentOnWithout', async () => {
    const answer = createErrorFromCode(UNKNOWN_MEMBER_ID);
    const { consumer, deliver, resolved } = refusingConsumer(new NonRetriable(answer, { cause: answer }));
    const handled: string[] = [];
    await runCommittingConsumer({
      consumer,
      topics: ['t'],
      handle: async (b) => void handled.push(...b.messages.map((m) => m.offset)),
      logger,
    });
    const error = await deliver().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MembershipLostError);
    expect(isRebalancing(error)).toBe(true);
    expect((error as MembershipLostError).retriable).toBe(true);
    expect((error as MembershipLostError).cause).toBeInstanceOf(Error);
    expect(handled).toEqual(['7']);
    // Not resolved: the batch is read again after the rejoin.
    expect(resolved).toEqual([]);
  });

  it('shouldLetAnyOtherCommitErrorThrough', async () => {
    const other = exhausted(createErrorFromCode(NOT_LEADER));
    const { consumer, deliver } = refusingConsumer(other);
    await runCommittingConsumer({ consumer, topics: ['t'], handle: async () => undefined, logger });
    await expect(deliver()).rejects.toBe(other);
  });
});
