import type { ClickHouseClient } from '@clickhouse/client';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { RowEncodeError, rowBinaryEncoder } from '../../../../services/core/src/clickhouse/row-binary.ts';
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

/** A client whose exec fails `failures` times, then records each query and the body it read to the end. */
function fakeExecClient(failures: number) {
  const calls: { query: string; body: Buffer }[] = [];
  let left = failures;
  let answersRead = 0;
  const client = {
    exec: async (params: { query: string; values: Readable }) => {
      const chunks: Buffer[] = [];
      for await (const chunk of params.values) chunks.push(chunk as Buffer);
      calls.push({ query: params.query, body: Buffer.concat(chunks) });
      if (left-- > 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      const stream = Readable.from([Buffer.alloc(0)], { objectMode: false });
      stream.on('end', () => answersRead++);
      return { stream, query_id: 'q' };
    },
  } as unknown as ClickHouseClient;
  return { client, calls, answersRead: () => answersRead };
}

const TABLE = { table: 'labels', columns: { id: 'String', n: 'UInt64', at: 'DateTime' } } as const;

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

  it('shouldSendRowBinaryOfTheDeclaredColumnsInOrderAndCountTheRowsWhenInsertingRowBinary', async () => {
    const { client, calls, answersRead } = fakeExecClient(0);
    const metric = rowsMetric();
    const rows = [
      { at: 1_700_000_000, id: 'a', n: '41' },
      { at: 1_700_000_001, id: 'b\tc', n: 7 },
    ];
    await new ClickHouseWriter(client, { metrics: metric }).insertRowBinary('db', TABLE, rows);
    expect(calls).toEqual([
      {
        query: 'INSERT INTO db.labels (id, n, at) FORMAT RowBinary',
        body: rowBinaryEncoder(TABLE.columns)(rows),
      },
    ]);
    expect(answersRead()).toBe(1);
    expect(await metric.count()).toEqual([['labels', 2]]);
  });

  it('shouldSendTheRowsOfABatchAndCountThemWhenInsertingABatchEncodedAsRowsWereAdded', async () => {
    const { client, calls } = fakeExecClient(0);
    const metric = rowsMetric();
    const writer = new ClickHouseWriter(client, { metrics: metric });
    const rows = [
      { id: 'a', n: 1, at: 2 },
      { id: 'b', n: '3', at: 4 },
    ];
    const batch = writer.rowBinaryBatch(TABLE);
    for (const row of rows) batch.add(row);
    await writer.insertRowBinary('db', TABLE, batch);
    await writer.insertRowBinary('db', TABLE, writer.rowBinaryBatch(TABLE)); // empty: nothing sent
    expect(calls).toEqual([
      {
        query: 'INSERT INTO db.labels (id, n, at) FORMAT RowBinary',
        body: rowBinaryEncoder(TABLE.columns)(rows),
      },
    ]);
    expect(await metric.count()).toEqual([['labels', 2]]);
  });

  it('shouldSendTheSameBytesAgainAndSucceedWhenARowBinaryInsertIsRetried', async () => {
    const { client, calls } = fakeExecClient(2);
    const writer = new ClickHouseWriter(client, { backoff: noWait });
    await writer.insertRowBinary('db', TABLE, [{ id: 'a', n: 1, at: 0 }]);
    expect(calls).toHaveLength(3);
    expect(calls[2]!.body.length).toBeGreaterThan(0);
    expect(calls[1]).toEqual(calls[0]);
    expect(calls[2]).toEqual(calls[0]);
  });

  it('shouldGiveUpWithRetriesExceededWhenRowBinaryInsertsKeepFailing', async () => {
    const { client, calls } = fakeExecClient(100);
    const writer = new ClickHouseWriter(client, { attempts: 3, backoff: noWait });
    const error = await writer
      .insertRowBinary('db', TABLE, [{ id: 'a', n: 1, at: 0 }])
      .catch((e: unknown) => e);
    expect(calls).toHaveLength(3);
    expect(error).toBeInstanceOf(RetriesExceededError);
    expect(forConsumer(error)).toBeInstanceOf(BatchRetryError);
  });

  it('shouldSendNothingAndNotRetryWhenARowDoesNotFitItsColumns', async () => {
    const { client, calls } = fakeExecClient(0);
    const writer = new ClickHouseWriter(client, { backoff: noWait });
    await expect(writer.insertRowBinary('db', TABLE, [{ id: 'a', n: -1, at: 0 }])).rejects.toBeInstanceOf(
      RowEncodeError,
    );
    await writer.insertRowBinary('db', TABLE, []);
    expect(calls).toEqual([]);
  });

  it('shouldKeepAWriterItIsGiven', () => {
    const writer = new ClickHouseWriter(fakeClient(0).client);
    expect(writerOf(writer)).toBe(writer);
  });
});
