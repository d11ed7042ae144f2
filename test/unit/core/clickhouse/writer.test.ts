import type { ClickHouseClient } from '@clickhouse/client';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  ClickHouseWriter,
  INSERT_FORMAT,
  writerOf,
} from '../../../../services/core/src/clickhouse/writer.ts';
import { RetriesExceededError, ServerUnavailableError } from '../../../../services/core/src/errors.ts';
import { BatchRetryError, forConsumer } from '../../../../services/core/src/kafka/outage-retry.ts';

/** A client whose insert fails `failures` times (a refused connection), then records what it was given. */
function fakeClient(failures: number) {
  const calls: { table: string; values: unknown; format: string }[] = [];
  let left = failures;
  const client = {
    insert: async (params: { table: string; values: unknown; format: string }) => {
      calls.push(params);
      if (left-- > 0)
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
      return { executed: true, query_id: 'q' };
    },
  } as unknown as ClickHouseClient;
  return { client, calls };
}

function rowsMetric() {
  const rowsWritten = new Counter({
    name: 'rows_total',
    help: 'rows',
    labelNames: ['table'],
    registers: [new Registry()],
  });
  return {
    rowsWritten,
    count: async () => (await rowsWritten.get()).values.map((v) => [v.labels.table, v.value]),
  };
}

const noWait = { sleep: async () => undefined, random: () => 0 };

describe('ClickHouseWriter', () => {
  it('shouldInsertIntoTheDatabaseTableInTheOneFormatAndCountTheRowsWhenTheServerAnswers', async () => {
    const { client, calls } = fakeClient(0);
    const metric = rowsMetric();
    await new ClickHouseWriter(client, { metrics: metric }).insert('db', 'inference_log', [
      { a: 1 },
      { a: 2 },
    ]);
    expect(calls).toEqual([
      { table: 'db.inference_log', values: [{ a: 1 }, { a: 2 }], format: INSERT_FORMAT },
    ]);
    expect(await metric.count()).toEqual([['inference_log', 2]]);
  });

  it('shouldSendNothingWhenThereAreNoRows', async () => {
    const { client, calls } = fakeClient(0);
    await new ClickHouseWriter(client).insert('db', 'alerts', []);
    expect(calls).toEqual([]);
  });

  it('shouldRetryAndSucceedWhenTheServerComesBackWithinTheAttempts', async () => {
    const { client, calls } = fakeClient(3);
    const metric = rowsMetric();
    const warned: unknown[] = [];
    const writer = new ClickHouseWriter(client, {
      metrics: metric,
      logger: { warn: (o: unknown) => warned.push(o) },
      backoff: noWait,
    });
    await writer.insert('db', 't', [{ a: 1 }]);
    expect(calls).toHaveLength(4);
    expect(warned).toHaveLength(3);
    expect(await metric.count()).toEqual([['t', 1]]);
  });

  it('shouldGiveUpWithRetriesExceededThatTheConsumerTurnsIntoABatchRetryWhenTheServerStaysAway', async () => {
    const { client, calls } = fakeClient(100);
    const metric = rowsMetric();
    const writer = new ClickHouseWriter(client, { attempts: 4, metrics: metric, backoff: noWait });
    const error = await writer.insert('db', 't', [{ a: 1 }]).catch((e: unknown) => e);
    expect(calls).toHaveLength(4);
    expect(error).toBeInstanceOf(RetriesExceededError);
    expect((error as RetriesExceededError).cause).toBeInstanceOf(ServerUnavailableError);
    expect(forConsumer(error)).toBeInstanceOf(BatchRetryError);
    expect(await metric.count()).toEqual([]);
  });

  it('shouldThrowARetriableServerUnavailableAtOnceWhenGivenABareClient', async () => {
    const { client, calls } = fakeClient(100);
    const error = await writerOf(client)
      .insert('db', 'alerts', [{ a: 1 }])
      .catch((e: unknown) => e);
    expect(calls).toHaveLength(1);
    expect(error).toBeInstanceOf(ServerUnavailableError);
    expect((error as ServerUnavailableError).retriable).toBe(true);
  });

  it('shouldKeepAWriterItIsGiven', () => {
    const writer = new ClickHouseWriter(fakeClient(0).client);
    expect(writerOf(writer)).toBe(writer);
  });
});
