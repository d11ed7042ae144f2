import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ClickHouseClient } from './client.ts';
import { RowBinaryBatch, rowBinaryEncoder, type RowBinaryEncoder } from './row-binary.ts';
import { describe, ServerUnavailableError } from '../errors.ts';
import type { Columns } from '../tables/columns.ts';
import type { Logger } from '../logger.ts';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';
import { withRetry, type RetryOptions } from '../retry.ts';

/**
 * The format of `insert`. ClickHouse 18.16 (the oldest server supported) reads JSONEachRow but not
 * JSONCompactEachRow; JSONEachRow takes any row object (named columns, defaults for the missing ones).
 */
export const INSERT_FORMAT = 'JSONEachRow';

/**
 * The format of `insertRowBinary`, for the sink's tables, a few thousand rows per insert, nearly all the rows
 * written: nothing for the server to parse and nothing to stringify here (core/clickhouse/row-binary.ts). The
 * client's `insert` does not take it, so it goes as the body of an `INSERT ... FORMAT RowBinary` through
 * `exec`, on the client's connections and settings.
 */
export const ROW_BINARY_FORMAT = 'RowBinary';

/** A table as core/tables declares it: its name and its columns in order. */
export interface TableColumns {
  table: string;
  columns: Columns;
}

/** Attempts of one insert before it gives up: about 6 s of backing off, then the caller's batch replays. */
export const INSERT_ATTEMPTS = 6;

export interface WriterOptions {
  /**
   * Attempts per insert. 1 means no retry here: the failure is thrown as ServerUnavailableError (retriable) for
   * a caller that retries whole rounds itself (the alerter's loop). @default INSERT_ATTEMPTS
   */
  attempts?: number;
  /** Counts rows written, by table (driftline_clickhouse_rows_total). */
  metrics?: Pick<ServiceMetrics, 'rowsWritten'>;
  /** Logs each retry. */
  logger?: Pick<Logger, 'warn'>;
  /** Back-off timings; injected by tests. */
  backoff?: Pick<RetryOptions, 'initialMs' | 'maxMs' | 'sleep' | 'random'>;
}

/**
 * The only place in services/ that inserts (the client's `insert`, or an INSERT through `exec`): one retry policy,
 * two formats (JSONEachRow for any row object, RowBinary for the tables declared in core/tables), one rows metric.
 * Every failure is a ServerUnavailableError (retriable) naming the table; attempts that run out throw
 * RetriesExceededError, which core/kafka/outage-retry.ts's forConsumer turns into a batch retry, so a ClickHouse
 * outage replays the batch instead of stopping the consumer. An insert that timed out may have landed, so a retry
 * can write rows twice: the callers' tables are idempotent by row identity (ReplacingMergeTree read with FINAL,
 * or the readers' GROUP BY), as they already had to be for a replayed batch.
 */
export class ClickHouseWriter {
  private readonly attempts: number;
  private readonly encoders = new Map<Columns, RowBinaryEncoder<object>>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly options: WriterOptions = {},
  ) {
    this.attempts = Math.max(1, options.attempts ?? INSERT_ATTEMPTS);
  }

  /**
   * Inserts `rows` into `<database>.<table>`; nothing for no rows.
   * @throws ServerUnavailableError with one attempt, RetriesExceededError when the attempts ran out.
   */
  async insert(database: string, table: string, rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return;
    await this.withAttempts(table, () => this.insertOnce(database, table, rows));
    this.options.metrics?.rowsWritten.inc({ table }, rows.length);
  }

  /** An empty RowBinary batch of `target`'s rows, encoded as they are added, for `insertRowBinary`. */
  rowBinaryBatch(target: TableColumns): RowBinaryBatch {
    return this.encoderOf(target.columns).batch();
  }

  /**
   * Inserts rows into `<database>.<target.table>` in RowBinary, every column of `target.columns` in its order
   * (each row must hold them all): row objects, or a batch of `rowBinaryBatch(target)`; nothing for no rows.
   * The rows are encoded once, before the first attempt.
   * @throws RowEncodeError (not retriable) for a value that does not fit its column; else as `insert`.
   */
  async insertRowBinary(
    database: string,
    target: TableColumns,
    rows: readonly object[] | RowBinaryBatch,
  ): Promise<void> {
    const count = rows instanceof RowBinaryBatch ? rows.count : rows.length;
    if (count === 0) return;
    const { table, columns } = target;
    const body = rows instanceof RowBinaryBatch ? rows.bytes() : this.encoderOf(columns)(rows);
    const query = `INSERT INTO ${database}.${table} (${Object.keys(columns).join(', ')}) FORMAT ${ROW_BINARY_FORMAT}`;
    await this.withAttempts(table, () => this.execOnce(table, query, body));
    this.options.metrics?.rowsWritten.inc({ table }, count);
  }

  private encoderOf(columns: Columns): RowBinaryEncoder<object> {
    let encode = this.encoders.get(columns);
    if (!encode) this.encoders.set(columns, (encode = rowBinaryEncoder(columns)));
    return encode;
  }

  private async withAttempts(table: string, once: () => Promise<void>): Promise<void> {
    if (this.attempts === 1) await once();
    else
      await withRetry(once, {
        ...this.options.backoff,
        attempts: this.attempts,
        onRetry: (error, attempt, waitMs) =>
          this.options.logger?.warn(
            { table, attempt, waitMs, error: describe(error) },
            'insert failed, retrying',
          ),
      });
  }

  private async insertOnce(database: string, table: string, rows: readonly object[]): Promise<void> {
    try {
      await this.client.insert({ table: `${database}.${table}`, values: rows, format: INSERT_FORMAT });
    } catch (error) {
      throw new ServerUnavailableError('clickhouse', `insert into ${table}: ${describe(error)}`, error);
    }
  }

  private async execOnce(table: string, query: string, body: Buffer): Promise<void> {
    try {
      const values = Readable.from([body], { objectMode: false });
      const { stream } = await this.client.exec({ query, values });
      // An insert answers with an empty body: read it to the end so the socket goes back to the pool.
      stream.resume();
      await finished(stream);
    } catch (error) {
      throw new ServerUnavailableError('clickhouse', `insert into ${table}: ${describe(error)}`, error);
    }
  }
}

/** `target` itself, or a writer of one attempt for a caller that holds a bare client and retries by itself. */
export function writerOf(target: ClickHouseClient | ClickHouseWriter): ClickHouseWriter {
  return target instanceof ClickHouseWriter ? target : new ClickHouseWriter(target, { attempts: 1 });
}
