// kafkajs' classes come after client.ts, which loads our kafkajs patches first.
import '../../../../services/core/src/kafka/client.ts';
import { describe, expect, it } from 'vitest';
import type { Consumer, EachBatchPayload } from '../../../../services/core/src/kafka/client.ts';
import { BatchCoalescer } from '../../../../services/core/src/kafka/batch-coalescer.ts';
import {
  runCommittingConsumer,
  type PartitionBatch,
} from '../../../../services/core/src/kafka/committing-consumer.ts';
import { createLogger } from '../../../../services/core/src/logger.ts';

type Offsets = { topic: string; partition: number; offset: string }[];

/** A consumer whose eachBatch the test drives, as kafkajs' workers do, several partitions at once. */
function drivenConsumer() {
  let eachBatch: ((p: EachBatchPayload) => Promise<void>) | undefined;
  let concurrency: number | undefined;
  const commits: Offsets[] = [];
  const resolved: string[] = [];
  const consumer = {
    events: { CRASH: 'consumer.crash' },
    on: () => undefined,
    subscribe: async () => undefined,
    run: async (config: { eachBatch: typeof eachBatch; partitionsConsumedConcurrently?: number }) => {
      eachBatch = config.eachBatch;
      concurrency = config.partitionsConsumedConcurrently;
    },
    commitOffsets: async (offsets: Offsets) => void commits.push(offsets),
  } as unknown as Consumer;
  /** Hands one partition's batch (offsets from..to) to eachBatch. */
  const deliver = (topic: string, partition: number, from: number, to: number) => {
    const messages = [];
    for (let o = from; o <= to; o++) messages.push({ offset: String(o), key: null, value: null });
    return eachBatch!({
      batch: { topic, partition, messages, offsetLag: () => '0' },
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
      resolveOffset: (o: string) => resolved.push(`${topic}/${partition}@${o}`),
    } as unknown as EachBatchPayload);
  };
  return { consumer, deliver, commits, resolved, concurrency: () => concurrency };
}

const logger = createLogger('test', 'silent');
const slices = (batches: PartitionBatch[]) =>
  batches.map((b) => `${b.topic}/${b.partition}:${b.messages[0]!.offset}-${b.messages.at(-1)!.offset}`);

describe('runCommittingConsumer with handleMany', () => {
  it('shouldCommitAllPartitionsInOneCallWhenTheirBatchesAreHandledTogether', async () => {
    const { consumer, deliver, commits, resolved, concurrency } = drivenConsumer();
    const handled: string[][] = [];
    await runCommittingConsumer({
      consumer,
      topics: ['a', 'b'],
      handleMany: async (batches) => void handled.push(slices(batches)),
      logger,
    });
    expect(concurrency()).toBeGreaterThan(1);
    await Promise.all([deliver('a', 0, 10, 12), deliver('a', 1, 3, 3), deliver('b', 0, 0, 1)]);
    expect(handled).toEqual([['a/0:10-12', 'a/1:3-3', 'b/0:0-1']]);
    expect(commits).toEqual([
      [
        { topic: 'a', partition: 0, offset: '13' },
        { topic: 'a', partition: 1, offset: '4' },
        { topic: 'b', partition: 0, offset: '2' },
      ],
    ]);
    expect(resolved.sort()).toEqual(['a/0@12', 'a/1@3', 'b/0@1']);
  });

  it('shouldCommitNoneOfThemWhenTheSharedEffectFails', async () => {
    const { consumer, deliver, commits, resolved } = drivenConsumer();
    const failure = new Error('ClickHouse does not answer');
    await runCommittingConsumer({
      consumer,
      topics: ['a'],
      handleMany: async () => {
        throw failure;
      },
      logger,
    });
    const outcomes = await Promise.allSettled([deliver('a', 0, 0, 4), deliver('a', 1, 0, 2)]);
    expect(outcomes).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
    expect(commits).toEqual([]);
    expect(resolved).toEqual([]);
  });

  it('shouldHandleEachPartitionsSlicesInOrderWhenItsBatchExceedsMaxBatch', async () => {
    const { consumer, deliver, commits } = drivenConsumer();
    const handled: string[][] = [];
    await runCommittingConsumer({
      consumer,
      topics: ['a'],
      handleMany: async (batches) => void handled.push(slices(batches)),
      logger,
      maxBatch: 4,
    });
    await Promise.all([deliver('a', 0, 0, 9), deliver('a', 1, 100, 101)]);
    // At most maxBatch rows together (the 2 rows of partition 1 and the 4 of partition 0's second slice do not
    // fit); a partition's next slice only after its previous one was committed.
    expect(handled).toEqual([['a/0:0-3'], ['a/1:100-101'], ['a/0:4-7'], ['a/0:8-9']]);
    expect(commits.map((c) => c.map((o) => `${o.partition}@${o.offset}`))).toEqual([
      ['0@4'],
      ['1@102'],
      ['0@8'],
      ['0@10'],
    ]);
  });
});

describe('BatchCoalescer', () => {
  it('shouldFlushWhatArrivesInTheSameTurnTogetherAndWhatArrivesDuringAFlushNext', async () => {
    const flushed: number[][] = [];
    let release: () => void = () => undefined;
    const coalescer = new BatchCoalescer<number>(
      async (batch) => {
        flushed.push(batch);
        if (flushed.length === 1) await new Promise<void>((r) => (release = r));
      },
      () => 1,
      100,
    );
    const first = [coalescer.submit(1), coalescer.submit(2)];
    await new Promise((r) => setImmediate(r));
    const later = [coalescer.submit(3), coalescer.submit(4)];
    await new Promise((r) => setImmediate(r));
    expect(flushed).toEqual([[1, 2]]);
    release();
    await Promise.all([...first, ...later]);
    expect(flushed).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('shouldKeepEachKeyWithinMaxRowsWhenSeveralKeysWaitTogether', async () => {
    const flushed: string[][] = [];
    const coalescer = new BatchCoalescer<{ topic: string; id: string }>(
      async (batch) => void flushed.push(batch.map((b) => b.id)),
      () => 3,
      4,
      (b) => b.topic,
    );
    await Promise.all([
      coalescer.submit({ topic: 'a', id: 'a1' }),
      coalescer.submit({ topic: 'a', id: 'a2' }),
      coalescer.submit({ topic: 'b', id: 'b1' }),
    ]);
    expect(flushed).toEqual([['a1', 'b1'], ['a2']]);
  });
});
