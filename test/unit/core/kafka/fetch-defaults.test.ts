import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../../services/core/src/config/load.ts';
import { createKafka } from '../../../../services/core/src/kafka/client.ts';
import { Kafka } from 'kafkajs';
import { createLogger } from '../../../../services/core/src/logger.ts';

/** The options kafkajs' own `consumer` is given by the client's consumer (no connection is made). */
function consumerOptions(env: Record<string, string>, own: Record<string, unknown> = {}) {
  const spy = vi.spyOn(Kafka.prototype, 'consumer');
  const kafka = createKafka(loadConfig(env), 'test', createLogger('test', 'silent'));
  kafka.consumer({ groupId: 'g', ...own });
  return spy.mock.calls.at(-1)![0];
}

describe('consumer fetch defaults', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shouldFetchWithTheDeploymentsMinimumBytesAndWaitWhenTheConsumerSetsNone', () => {
    expect(consumerOptions({})).toMatchObject({ minBytes: 1_048_576, maxWaitTimeInMs: 200 });
    const set = { DRIFTLINE_KAFKA_FETCH_MIN_BYTES: '1', DRIFTLINE_KAFKA_FETCH_MAX_WAIT_MS: '5000' };
    expect(consumerOptions(set)).toMatchObject({ minBytes: 1, maxWaitTimeInMs: 5000 });
  });

  it('shouldKeepAConsumersOwnFetchOptionsWhenItSetsThem', () => {
    expect(consumerOptions({}, { minBytes: 1, maxWaitTimeInMs: 200 })).toMatchObject({
      minBytes: 1,
      maxWaitTimeInMs: 200,
    });
  });
});
