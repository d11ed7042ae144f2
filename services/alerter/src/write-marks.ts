import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { DRIFT_METRICS } from '../../core/src/tables/drift-metrics.ts';
import { PERFORMANCE_ESTIMATES } from '../../core/src/tables/performance-estimates.ts';
import { query } from './input-deps.ts';

/**
 * The tables written only when a window closes (performance_metrics is left out: the performance monitor
 * rewrites its open windows with every batch, so its changes would start a round for almost every batch).
 */
export const CLOSED_WINDOW_TABLES = [DRIFT_METRICS, PERFORMANCE_ESTIMATES] as const;

/**
 * Values that change with every insert: `closedWindows` into the tables of closed windows, `anyTable` into any
 * table of the database. A round reads only ClickHouse tables of the database (the dead-letter counts it takes
 * from Kafka are read for new drift windows only), so while `anyTable` stays as it was when a round began,
 * another round would find nothing new.
 */
export interface WriteMarks {
  closedWindows: string;
  anyTable: string;
}

/**
 * Each table's highest block number among its active parts (every insert into a MergeTree takes the next block
 * number; a merge keeps them), read from ClickHouse's part list in one query, so no table data is read.
 * Merges do not change the marks.
 */
export async function readWriteMarks(clickhouse: ClickHouseClient, database: string): Promise<WriteMarks> {
  const rows = await query<{ table: string; block: string | number }>(
    clickhouse,
    `SELECT table, max(max_block_number) AS block FROM system.parts
     WHERE database = '${database.replace(/['\\]/g, '\\$&')}' AND active
     GROUP BY table ORDER BY table`,
  );
  const closed = new Set<string>(CLOSED_WINDOW_TABLES);
  const mark = (of: typeof rows) => of.map((r) => `${r.table}:${r.block}`).join(',');
  return { closedWindows: mark(rows.filter((r) => closed.has(r.table))), anyTable: mark(rows) };
}
