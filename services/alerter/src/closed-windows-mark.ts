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
 * A value that changes with every insert into the tables of closed windows: each table's highest block number
 * among its active parts (every insert into a MergeTree takes the next block number; a merge keeps them), read
 * from ClickHouse's part list, so no table data is read. Merges do not change it.
 */
export async function readClosedWindowsMark(clickhouse: ClickHouseClient, database: string): Promise<string> {
  const tables = CLOSED_WINDOW_TABLES.map((t) => `'${t}'`).join(', ');
  const rows = await query<{ table: string; block: string | number }>(
    clickhouse,
    `SELECT table, max(max_block_number) AS block FROM system.parts
     WHERE database = '${database.replace(/['\\]/g, '\\$&')}' AND table IN (${tables}) AND active
     GROUP BY table ORDER BY table`,
  );
  return rows.map((r) => `${r.table}:${r.block}`).join(',');
}
