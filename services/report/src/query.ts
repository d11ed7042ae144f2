import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { sqlString } from '../../core/src/clickhouse/sql-string.ts';
import { alertSelect, type ColumnInfo } from './alert-columns.ts';
import { ReportError } from './errors.ts';
import type { TimeRange } from '../../core/src/windows/time-range.ts';
import {
  REPORT_TABLES,
  type AlertRow,
  type DriftRow,
  type EstimateRow,
  type PerformanceRow,
  type ReportRows,
  type ReportTable,
} from './rows.ts';

export interface ReportQuery {
  database: string;
  model: string;
  /** Only this version; all versions when absent. */
  version?: string;
  range: TimeRange;
}

/** Rows read per table at most: a report is for people, and the charts stay readable far below this. */
export const ROW_LIMIT = 50_000;

type Raw = Record<string, string | number | null>;

/** A ClickHouse string literal. Model ids come from the command line: never splice them in raw. */
export const quote = sqlString;

const num = (v: string | number | null | undefined): number => Number(v ?? NaN);
const numOrNull = (v: string | number | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

async function select(client: ClickHouseClient, query: string): Promise<Raw[]> {
  const result = await client.query({ query, format: 'JSONEachRow' });
  return result.json<Raw>();
}

/**
 * Reads the performance, drift and alert rows of one model over a time range. A table that does not exist
 * (not migrated yet, or its service not deployed) is listed in `missingTables` instead of failing the report.
 * @throws ReportError when the database does not exist; ClickHouse errors otherwise (retriable)
 */
export async function readReportRows(client: ClickHouseClient, q: ReportQuery): Promise<ReportRows> {
  const db = q.database;
  const dbs = await select(client, `SELECT name FROM system.databases WHERE name = ${quote(db)}`);
  if (dbs.length === 0) throw new ReportError(`database ${db} does not exist: run \`driftline migrate\``);
  const tables = await select(client, `SELECT name, engine FROM system.tables WHERE database = ${quote(db)}`);
  const engines = new Map(tables.map((t) => [String(t.name), String(t.engine)]));
  const out: ReportRows = { performance: [], drift: [], alerts: [], missingTables: [], truncated: [] };
  out.missingTables = REPORT_TABLES.filter((t) => !engines.has(t));
  const limited = <T>(table: ReportTable, rows: T[]): T[] => {
    if (rows.length <= ROW_LIMIT) return rows;
    out.truncated.push(table);
    return rows.slice(0, ROW_LIMIT);
  };
  if (engines.has('performance_metrics'))
    out.performance = limited('performance_metrics', await readPerformance(client, q));
  if (engines.has('drift_metrics')) out.drift = limited('drift_metrics', await readDrift(client, q));
  // The estimator is optional: without its table the report simply has no estimates.
  if (engines.has('performance_estimates'))
    out.estimates = (await readEstimates(client, q)).slice(0, ROW_LIMIT);
  const alertsEngine = engines.get('alerts');
  if (alertsEngine !== undefined) {
    const alerts = await readAlerts(client, q, alertsEngine);
    if (typeof alerts === 'string') out.alertsProblem = alerts;
    else out.alerts = limited('alerts', alerts);
  }
  return out;
}

function versionFilter(q: ReportQuery): string {
  return q.version === undefined ? '' : `AND model_version = ${quote(q.version)}`;
}

/** Windows of the report's range and version (tables keyed by `window_start_ms`). */
function windowFilter(q: ReportQuery): string {
  return `AND window_start_ms >= ${Math.floor(q.range.fromMs)} AND window_start_ms < ${Math.floor(q.range.toMs)}
       ${versionFilter(q)}`;
}

/** The window and metric a per-window figure row belongs to. */
const windowKeyOf = (r: Raw) => ({
  version: String(r.model_version),
  windowSize: String(r.window_size),
  startMs: num(r.start_ms),
  endMs: num(r.end_ms),
  metric: String(r.metric),
});

async function readPerformance(client: ClickHouseClient, q: ReportQuery): Promise<PerformanceRow[]> {
  // Per-class figures (`precision:<class>`) and the rolling count window stay out: the report shows
  // the headline figures of tumbling event-time windows.
  const raw = await select(
    client,
    `SELECT model_version, window_size, toUInt64(window_start_ms) AS start_ms,
            toUInt64(window_end_ms) AS end_ms, metric, value, toUInt64(sample_count) AS samples, is_final
     FROM ${q.database}.performance_metrics FINAL
     WHERE model_id = ${quote(q.model)} AND segment = '' AND window_size NOT LIKE 'last%'
       AND metric NOT LIKE '%:%' AND isFinite(value)
       ${windowFilter(q)}
     ORDER BY window_size, model_version, start_ms, metric
     LIMIT ${ROW_LIMIT + 1}`,
  );
  return raw.map((r) => ({
    ...windowKeyOf(r),
    value: num(r.value),
    samples: num(r.samples),
    final: num(r.is_final) === 1,
  }));
}

async function readDrift(client: ClickHouseClient, q: ReportQuery): Promise<DriftRow[]> {
  // Only the decisive test of each feature: the one that decides its drift (and the concept-drift rows).
  const raw = await select(
    client,
    `SELECT model_version, toUInt64(toUnixTimestamp(window_start)) * 1000 AS start_ms,
            toUInt64(toUnixTimestamp(window_end)) * 1000 AS end_ms, feature, method, statistic,
            p_value, threshold, drifted, toUInt64(sample_count) AS samples,
            visitParamExtractFloat(detail, 'holdout_mean') AS center
     FROM ${q.database}.drift_metrics FINAL
     WHERE model_id = ${quote(q.model)} AND decisive = 1
       AND window_start >= toDateTime(${Math.floor(q.range.fromMs / 1000)})
       AND window_start < toDateTime(${Math.ceil(q.range.toMs / 1000)})
       ${versionFilter(q)}
     ORDER BY model_version, start_ms, feature
     LIMIT ${ROW_LIMIT + 1}`,
  );
  return raw.map((r) => ({
    version: String(r.model_version),
    startMs: num(r.start_ms),
    endMs: num(r.end_ms),
    feature: String(r.feature),
    method: String(r.method),
    statistic: num(r.statistic),
    pValue: numOrNull(r.p_value),
    threshold: numOrNull(r.threshold),
    drifted: num(r.drifted) === 1,
    samples: num(r.samples),
    ...(String(r.method) === 'reconstruction_error' && { center: num(r.center) }),
  }));
}

async function readEstimates(client: ClickHouseClient, q: ReportQuery): Promise<EstimateRow[]> {
  const raw = await select(
    client,
    `SELECT model_version, window_size, toUInt64(window_start_ms) AS start_ms,
            toUInt64(window_end_ms) AS end_ms, metric, estimate, band_low, band_high,
            toUInt64(sample_count) AS samples, realized, estimation_error, outside_band, concept_drift, baseline
     FROM ${q.database}.performance_estimates FINAL
     WHERE model_id = ${quote(q.model)} AND metric IN ('accuracy', 'f1_macro', 'roc_auc')
       ${windowFilter(q)}
     ORDER BY window_size, model_version, start_ms, metric
     LIMIT ${ROW_LIMIT + 1}`,
  );
  return raw.map((r) => ({
    ...windowKeyOf(r),
    estimate: num(r.estimate),
    bandLow: num(r.band_low),
    bandHigh: num(r.band_high),
    samples: num(r.samples),
    realized: numOrNull(r.realized),
    error: numOrNull(r.estimation_error),
    outsideBand: num(r.outside_band) === 1,
    conceptDrift: num(r.concept_drift) === 1,
    baseline: numOrNull(r.baseline),
  }));
}

/** @returns the rows, or why the table cannot be read */
async function readAlerts(
  client: ClickHouseClient,
  q: ReportQuery,
  engine: string,
): Promise<AlertRow[] | string> {
  const columns = (await select(
    client,
    `SELECT name, type FROM system.columns WHERE database = ${quote(q.database)} AND table = 'alerts'`,
  )) as unknown as ColumnInfo[];
  const s = alertSelect(columns);
  if (!s.ok) return s.problem;
  // FINAL only where the engine knows it; a plain MergeTree rejects it, and duplicates are dropped below.
  const final = /Replacing|Collapsing|Summing|Aggregating/.test(engine) ? 'FINAL' : '';
  const raw = await select(
    client,
    `SELECT ${s.columns} FROM ${q.database}.alerts ${final}
     WHERE model_id = ${quote(q.model)}
       AND (${s.end}) >= ${Math.floor(q.range.fromMs)} AND (${s.start}) < ${Math.floor(q.range.toMs)}
     ORDER BY at_ms, alert_id
     LIMIT ${ROW_LIMIT + 1}`,
  );
  const rows = raw.map((r) => ({
    alertId: String(r.alert_id),
    version: String(r.model_version),
    kind: String(r.kind),
    severity: String(r.severity),
    status: String(r.status),
    windowStartMs: num(r.window_start_ms),
    windowEndMs: num(r.window_end_ms),
    atMs: num(r.at_ms),
    metric: String(r.metric),
    value: numOrNull(r.value),
    threshold: numOrNull(r.threshold),
    message: String(r.message),
  }));
  return q.version === undefined ? rows : rows.filter((r) => r.version === q.version);
}
