import type { ClickHouseClient } from './client.ts';
import { describe, ServerUnavailableError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';
import { withRetry, type RetryOptions } from '../retry.ts';

/**
 * The one format every insert uses. ClickHouse 18.16 (the oldest server supported) reads JSONEachRow but not
 * JSONCompactEachRow, and the client writes RowBinary only for queries, not inserts; JSONEachRow is also the
 * format every table's row type is written for (named columns, defaults for the missing ones).
 */
export const INSERT_FORMAT = 'JSONEachRow';

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
 * The only place in services/ that calls the client's `insert`: one retry policy, one format, one rows metric.
 * Every failure is a ServerUnavailableError (retriable) naming the table; attempts that run out throw
 * RetriesExceededError, which core/kafka/outage-retry.ts's forConsumer turns into a batch retry, so a ClickHouse
 * outage replays the batch instead of stopping the consumer. An insert that timed out may have landed, so a retry
 * can write rows twice: the callers' tables are idempotent by row identity (ReplacingMergeTree read with FINAL,
 * or the readers' GROUP BY), as they already had to be for a replayed batch.
 */
export class ClickHouseWriter {
  private readonly attempts: number;

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
    const once = () => this.insertOnce(database, table, rows);
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
    this.options.metrics?.rowsWritten.inc({ table }, rows.length);
  }

  private async insertOnce(database: string, table: string, rows: readonly object[]): Promise<void> {
    try {
      await this.client.insert({ table: `${database}.${table}`, values: rows, format: INSERT_FORMAT });
    } catch (error) {
      throw new ServerUnavailableError('clickhouse', `insert into ${table}: ${describe(error)}`, error);
    }
  }
}

/** `target` itself, or a writer of one attempt for a caller that holds a bare client and retries by itself. */
export function writerOf(target: ClickHouseClient | ClickHouseWriter): ClickHouseWriter {
  return target instanceof ClickHouseWriter ? target : new ClickHouseWriter(target, { attempts: 1 });
}
