import type { ClickHouseClient } from '@clickhouse/client';
import { rows } from './clickhouse.ts';

/** A performance_metrics row as the tests compare it. */
export interface StoredRow {
  model_id: string;
  model_version: string;
  segment: string;
  window_size: string;
  window_id: string;
  metric: string;
  /** null: NaN, a figure a label correction took away. */
  value: number | null;
  sample_count: string;
  baseline: number | null;
  is_final: number;
}

/** The newest revision (FINAL) of every performance_metrics row matching `where`, keyed by its identity. */
export async function storedRows(
  ch: ClickHouseClient,
  db: string,
  where = '1',
): Promise<Map<string, StoredRow>> {
  const all = await rows<StoredRow>(
    ch,
    `SELECT model_id, model_version, segment, window_size, window_id, metric, value, sample_count, baseline, is_final
     FROM ${db}.performance_metrics FINAL WHERE ${where}`,
  );
  return new Map(
    all.map((r) => [
      [r.model_id, r.model_version, r.segment, r.window_size, r.window_id, r.metric].join('|'),
      r,
    ]),
  );
}

/** A row's figure where NaN (null) would be a bug: throws naming the row. */
export function figure(row: StoredRow | undefined): number {
  if (row?.value === null || row?.value === undefined) throw new Error(`no figure in ${JSON.stringify(row)}`);
  return row.value;
}
