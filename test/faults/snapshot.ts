import type { ClickHouseClient } from '@clickhouse/client';

/**
 * What a run leaves behind, table by table, without what legitimately differs between runs (ingestion times,
 * source offsets, revisions, ids minted at run time): the figures a user reads. Each query gives rows that are
 * compared as a multiset. ClickHouse 18.16 and current alike.
 */
const QUERIES: Record<string, (db: string) => string> = {
  inference_log: (db) =>
    `SELECT model_id, model_version, count() AS n, uniqExact(prediction_id) AS ids FROM ${db}.inference_log FINAL GROUP BY model_id, model_version`,
  ground_truth: (db) => `SELECT count() AS n, uniqExact(prediction_id) AS ids FROM ${db}.ground_truth FINAL`,
  labeled_predictions: (db) =>
    `SELECT model_id, model_version, count() AS n, sum(label = predicted_label) AS correct FROM ${db}.labeled_predictions FINAL GROUP BY model_id, model_version`,
  performance_metrics: (db) =>
    `SELECT model_id, model_version, segment, window_size, window_start_ms, metric, round(value, 9) AS value, sample_count, is_final FROM ${db}.performance_metrics FINAL`,
  drift_metrics: (db) =>
    `SELECT model_id, model_version, window_start, feature, method, round(statistic, 9) AS statistic, drifted, sample_count FROM ${db}.drift_metrics FINAL WHERE feature != '__error__'`,
  version_comparisons: (db) =>
    `SELECT model_id, baseline_version, candidate_version, window_size, window_id, metric, verdict, baseline_count, candidate_count, is_final FROM ${db}.version_comparisons FINAL`,
  performance_estimates: (db) =>
    `SELECT model_id, model_version, window_size, window_start_ms, metric, round(estimate, 9) AS estimate, sample_count, realized_count FROM ${db}.performance_estimates FINAL`,
  alerts: (db) =>
    `SELECT model_id, model_version, kind, severity, status, window_start_ms, metric, provisional FROM ${db}.alerts`,
  retrain_triggers: (db) =>
    `SELECT model_id, model_version, arrayStringConcat(reasons, ',') AS reasons, triggered_at_ms FROM ${db}.retrain_triggers`,
};

export type Snapshot = Record<string, string[]>;

export async function snapshot(ch: ClickHouseClient, db: string): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const [table, query] of Object.entries(QUERIES)) {
    try {
      const result = await ch.query({ query: query(db), format: 'JSONEachRow' });
      out[table] = (await result.json<Record<string, unknown>>()).map((r) => JSON.stringify(r)).sort();
    } catch (error) {
      out[table] = [`unreadable: ${(error as Error).message.split('\n')[0]}`];
    }
  }
  return out;
}

export interface TableDifference {
  table: string;
  /** Rows of the fault-free run the faulty one lacks. */
  missing: string[];
  /** Rows the faulty run has beyond the fault-free one. */
  extra: string[];
}

/** Multiset difference per table. Pure. */
export function compareSnapshots(expected: Snapshot, actual: Snapshot): TableDifference[] {
  const out: TableDifference[] = [];
  for (const table of Object.keys(expected)) {
    const left = new Map<string, number>();
    for (const row of expected[table]!) left.set(row, (left.get(row) ?? 0) + 1);
    const extra: string[] = [];
    for (const row of actual[table] ?? []) {
      const n = left.get(row) ?? 0;
      if (n > 0) left.set(row, n - 1);
      else extra.push(row);
    }
    const missing = [...left].flatMap(([row, n]) => Array<string>(n).fill(row));
    if (missing.length > 0 || extra.length > 0) out.push({ table, missing, extra });
  }
  return out;
}

/** Rows per table, for the report. */
export function rowCounts(s: Snapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(s).map(([t, rows]) => [t, rows.length]));
}
