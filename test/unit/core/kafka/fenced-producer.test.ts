// kafkajs' classes come after client.ts, which loads our kafkajs patches first.
import '../../../../services/core/src/kafka/client.ts';
import { KafkaJSAggregateError, KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isFencedError } from '../../../../services/core/src/kafka/fenced-producer.ts';
import { TransactionFailedError } from '../../../../services/core/src/kafka/transactional-batch.ts';

// kafkajs builds protocol errors from its error-code table: code 47 is what a broker answers a producer
// whose epoch is older than the transactional id's current one (a newer producer initialised the id).
// kafkajs' typings take an Error, its code takes the table entry.
const protocolError = (entry: { type: string; code: number; retriable: boolean; message: string }) =>
  new KafkaJSProtocolError(entry as unknown as Error);
const epoch = () =>
  protocolError({
    type: 'INVALID_PRODUCER_EPOCH',
    code: 47,
    retriable: false,
    message:
      "Producer attempted an operation with an old epoch. Either there is a newer producer with the same transactionalId, or the producer's transaction has been expired by the broker",
  });
const timeout = () =>
  protocolError({
    type: 'REQUEST_TIMED_OUT',
    code: 7,
    retriable: true,
    message: 'The request timed out',
  });

describe('isFencedError', () => {
  it('shouldRecogniseAnOldEpochWhenWrappedInCausesOrAggregates', () => {
    expect(isFencedError(epoch())).toBe(true);
    expect(isFencedError(new KafkaJSNonRetriableError(epoch()))).toBe(true);
    expect(isFencedError(new Error('transaction failed', { cause: epoch() }))).toBe(true);
    expect(isFencedError(new KafkaJSAggregateError('some brokers failed', [timeout(), epoch()]))).toBe(true);
  });

  it('shouldNotCallOtherFailuresFencedWhenNothingSaysSo', () => {
    expect(isFencedError(timeout())).toBe(false);
    expect(isFencedError(new Error('connection closed'))).toBe(false);
    expect(isFencedError('INVALID_PRODUCER_EPOCH')).toBe(false);
  });
});

describe('TransactionFailedError', () => {
  it('shouldBeRetriableUnlessTheProducerWasFenced', () => {
    const fenced = new TransactionFailedError('g-0', new KafkaJSNonRetriableError(epoch()));
    expect(fenced.fenced).toBe(true);
    expect(fenced.retriable).toBe(false);
    expect(fenced.message).toMatch(/^transaction of g-0 was fenced/);
    const failed = new TransactionFailedError('g-0', timeout());
    expect(failed.fenced).toBe(false);
    expect(failed.retriable).toBe(true);
  });
});
