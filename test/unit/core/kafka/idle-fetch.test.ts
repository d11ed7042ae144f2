import { afterEach, describe, expect, it } from 'vitest';
import {
  fetchWait,
  hadRecords,
  longPollWhenIdle,
  setIdleFetchWait,
  type FetchResponseRecords,
  type FetchWait,
} from '../../../../services/core/src/kafka/idle-fetch.ts';

const BATCHING: FetchWait = { minBytes: 1_048_576, maxWaitTime: 200 };
const withRecords: FetchResponseRecords = {
  responses: [{ partitions: [{ messages: [] }, { messages: [{}] }] }],
};
const empty: FetchResponseRecords = { responses: [{ partitions: [{ messages: [] }, { messages: [] }] }] };

describe('fetchWait', () => {
  it('shouldAskAsTheConsumerAsksWhenItsLastFetchBroughtRecords', () => {
    expect(fetchWait(BATCHING, true, 1000)).toBe(BATCHING);
  });

  it('shouldLongPollForTheFirstByteWhenTheLastFetchBroughtNothing', () => {
    expect(fetchWait(BATCHING, false, 1000)).toEqual({ minBytes: 1, maxWaitTime: 1000 });
  });

  it.each([
    ['the idle wait is off', BATCHING, 0],
    ['the consumer already answers at the first byte', { minBytes: 1, maxWaitTime: 200 }, 1000],
    ['the consumer already waits as long', { minBytes: 1_048_576, maxWaitTime: 5000 }, 1000],
  ])('shouldAskAsTheConsumerAsksWhen %s', (_, asked, idleMs) => {
    expect(fetchWait(asked, false, idleMs)).toBe(asked);
  });
});

describe('hadRecords', () => {
  it('shouldSeeARecordInAnyPartitionOfAnyTopic', () => {
    expect(hadRecords(withRecords)).toBe(true);
    expect(hadRecords({ responses: [{ partitions: [] }, ...withRecords.responses!] })).toBe(true);
  });

  it('shouldSeeNoneWhenEveryPartitionCameBackEmpty', () => {
    expect(hadRecords(empty)).toBe(false);
    expect(hadRecords({ responses: [] })).toBe(false);
  });
});

describe('longPollWhenIdle', () => {
  afterEach(() => setIdleFetchWait(0));

  /** A broker whose fetches answer `answers` in turn, recording what each was asked. */
  function broker(answers: FetchResponseRecords[]) {
    const asked: FetchWait[] = [];
    const fetch = longPollWhenIdle(async function (this: object, args: FetchWait & { topics: string[] }) {
      asked.push({ minBytes: args.minBytes, maxWaitTime: args.maxWaitTime });
      expect(args.topics).toEqual(['t']);
      return answers.shift()!;
    });
    return { asked, fetch };
  }

  it('shouldLongPollAfterAnEmptyAnswerAndBatchAgainAfterRecords', async () => {
    setIdleFetchWait(1000);
    const { asked, fetch } = broker([withRecords, empty, empty, withRecords, withRecords]);
    const connection = {};
    for (let i = 0; i < 5; i++) await fetch.call(connection, { ...BATCHING, topics: ['t'] });
    const idle = { minBytes: 1, maxWaitTime: 1000 };
    expect(asked).toEqual([BATCHING, BATCHING, idle, idle, BATCHING]);
  });

  it('shouldKeepEachBrokerConnectionsOwnStateWhenAConsumerFetchesFromSeveral', async () => {
    setIdleFetchWait(1000);
    const { asked, fetch } = broker([empty, withRecords, empty, withRecords]);
    const [a, b] = [{}, {}];
    await fetch.call(a, { ...BATCHING, topics: ['t'] });
    await fetch.call(b, { ...BATCHING, topics: ['t'] });
    await fetch.call(a, { ...BATCHING, topics: ['t'] });
    await fetch.call(b, { ...BATCHING, topics: ['t'] });
    expect(asked).toEqual([BATCHING, BATCHING, { minBytes: 1, maxWaitTime: 1000 }, BATCHING]);
  });

  it('shouldUseTheWaitSetThroughAnotherCopyOfTheModuleWhenATestRunnerLoadedItAfresh', async () => {
    // The kafkajs patch made by one copy stays in Node's require cache; a later copy's createKafka sets the wait.
    const specifier = '../../../../services/core/src/kafka/idle-fetch.ts?copy';
    const copy = (await import(specifier)) as { setIdleFetchWait: typeof setIdleFetchWait };
    expect(copy.setIdleFetchWait).not.toBe(setIdleFetchWait);
    copy.setIdleFetchWait(1000);
    const { asked, fetch } = broker([empty, empty]);
    const connection = {};
    await fetch.call(connection, { ...BATCHING, topics: ['t'] });
    await fetch.call(connection, { ...BATCHING, topics: ['t'] });
    expect(asked).toEqual([BATCHING, { minBytes: 1, maxWaitTime: 1000 }]);
  });

  it('shouldSendEveryFetchAsAskedWhenTheIdleWaitIsOff', async () => {
    const { asked, fetch } = broker([empty, empty]);
    const connection = {};
    await fetch.call(connection, { ...BATCHING, topics: ['t'] });
    await fetch.call(connection, { ...BATCHING, topics: ['t'] });
    expect(asked).toEqual([BATCHING, BATCHING]);
  });
});
