import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { KafkaMessage, Producer } from '../../../services/core/src/kafka/client.ts';
import { createLogger } from '../../../services/core/src/logger.ts';
import { createPerformanceMetrics } from '../../../services/performance-monitor/src/perf-metrics.ts';
import { PerformanceTask } from '../../../services/performance-monitor/src/performance-task.ts';
import { PerformanceProcessor } from '../../../services/performance-monitor/src/processor.ts';
import { joinedStream } from './stream.ts';
import { options, T0 } from './helpers.ts';

const records = joinedStream(40, { startMs: T0, stepMs: 1000, maxDisorderMs: 0, classifiers: 1 });
const messages = (from: number, to: number): KafkaMessage[] =>
  records.slice(from, to).map((r, i) => ({ offset: String(from + i), value: r }) as unknown as KafkaMessage);

/** A producer whose transactions commit, or fail with `failWith` on the commit. */
function producer(failWith?: () => Error) {
  return {
    committed: 0,
    transaction: async function (this: { committed: number }) {
      return {
        sendBatch: async () => [],
        sendOffsets: async () => {},
        commit: async () => {
          if (failWith) throw failWith();
          this.committed += 1;
        },
        abort: async () => {},
      };
    },
    disconnect: async () => {},
  };
}

function task(p: ReturnType<typeof producer>) {
  const seeks: [number, string][] = [];
  const t = new PerformanceTask(3, new PerformanceProcessor(options()), p as unknown as Producer, 'g-t-3', {
    logger: createLogger('test', 'silent'),
    metrics: createPerformanceMetrics(new Registry()),
    groupId: 'g',
    sourceTopic: 't',
    changelogTopic: 'changelog',
    deadLetterTopic: 'dlq',
    decode: (value) => value as never,
    writeRows: async () => {},
    newProcessor: () => new PerformanceProcessor(options()),
    seek: (partition, offset) => void seeks.push([partition, offset]),
  });
  return { t, seeks };
}

const owned = async () => {};

describe('PerformanceTask', () => {
  it('shouldCommitEachBatchAndSkipRecordsBelowItsCheckpointWhenRedelivered', async () => {
    const p = producer();
    const { t } = task(p);
    await t.handle(messages(0, 20), owned);
    await t.handle(messages(0, 20), owned); // redelivered: nothing new, nothing committed
    await t.close();
    expect(p.committed).toBe(1);
    expect(t.broken).toBe(false);
  });

  it('shouldBreakAndMoveTheConsumerBackToAFailedBatchWhenItsTransactionFailed', async () => {
    const { t, seeks } = task(producer(() => new Error('The request timed out')));
    await t.handle(messages(0, 20), owned);
    await expect(t.handle(messages(20, 40), owned)).rejects.toThrow('timed out');
    expect(t.broken).toBe(true);
    expect(seeks).toEqual([[3, '0']]);
  });

  it('shouldBreakWithoutMovingTheConsumerWhenItsProducerWasFenced', async () => {
    const epoch = () =>
      Object.assign(new Error('Producer attempted an operation with an old epoch'), {
        type: 'INVALID_PRODUCER_EPOCH',
      });
    const { t, seeks } = task(producer(epoch));
    await t.handle(messages(0, 20), owned);
    await expect(t.handle(messages(20, 40), owned)).rejects.toThrow('fenced');
    expect(t.broken).toBe(true);
    expect(seeks).toEqual([]);
  });

  it('shouldNotStartTheCommitWhenTheOwnershipCheckFails', async () => {
    const p = producer();
    const { t } = task(p);
    await expect(
      t.handle(messages(0, 20), async () => {
        throw new Error('REBALANCE_IN_PROGRESS');
      }),
    ).rejects.toThrow('REBALANCE_IN_PROGRESS');
    await t.close();
    expect(p.committed).toBe(0);
    expect(t.broken).toBe(true);
  });
});
