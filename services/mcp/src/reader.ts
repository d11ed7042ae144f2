import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';

/** One result row as ClickHouse's JSONEachRow gives it (64-bit integers arrive as strings). */
export type Row = Record<string, unknown>;

/** The one port the tools read through: a SELECT in, rows out. */
export type SelectRows = (sql: string) => Promise<Row[]>;

/** What a single query may cost on the server. */
export interface QueryBounds {
  maxExecutionSeconds: number;
  maxRowsToRead: number;
}

/**
 * A reader whose every query carries the cost bounds as ClickHouse settings (both exist since long before
 * 18.16): a scan past `max_rows_to_read` or a query past `max_execution_time` fails on the server instead of
 * running on. Row counts are bounded by each tool's own LIMIT.
 */
export function boundedReader(client: ClickHouseClient, bounds: QueryBounds): SelectRows {
  return async (sql) => {
    const result = await client.query({
      query: sql,
      format: 'JSONEachRow',
      clickhouse_settings: {
        max_execution_time: bounds.maxExecutionSeconds,
        max_rows_to_read: String(bounds.maxRowsToRead),
      },
    });
    return result.json<Row>();
  };
}
