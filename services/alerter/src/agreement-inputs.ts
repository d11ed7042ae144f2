import { query, type InputDeps } from './input-deps.ts';
import type { ReadBound } from './read-bound.ts';
import type { AgreementWindow } from './window.ts';

/** A shadow_agreement row as the alerter reads it (ClickHouse may return UInt64 as strings). */
export interface AgreementRow {
  model_id: string;
  version_a: string;
  version_b: string;
  start_ms: string | number;
  requests: string | number;
  agreements: string | number;
}

/** The view's windows are hourly (toStartOfHour). */
const HOUR_MS = 3_600_000;

/**
 * An hour is read once the model's newest request prediction is this far past its end (event time): a shadow
 * scores a request about when production does, so the stragglers of an hour arrive within minutes.
 */
export const AGREEMENT_GRACE_MS = 5 * 60_000;

/** An hour is read once none of its rows was stored for this long (seconds, wall clock): it has settled. */
export const AGREEMENT_SETTLE_S = 60;

/** Natural order of version names (`v9` before `v10`): the newer of a pair is taken to be the shadow. */
const byVersion = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * Groups the view's rows into agreement windows, one per model, shadow version and hour, with one pair per
 * production version it was compared with. The shadow of a pair is its newer version in natural order (a
 * version deployed beside the one serving usually carries the next number). Pure.
 */
export function agreementWindowsFromRows(rows: readonly AgreementRow[]): AgreementWindow[] {
  const windows = new Map<string, AgreementWindow>();
  for (const r of rows) {
    const [champion, shadow] = [r.version_a, r.version_b].sort(byVersion) as [string, string];
    const startMs = Number(r.start_ms);
    const key = `${r.model_id}\u0000${shadow}\u0000${startMs}`;
    let w = windows.get(key);
    if (!w) {
      w = {
        source: 'agreement',
        modelId: r.model_id,
        modelVersion: shadow,
        startMs,
        endMs: startMs + HOUR_MS,
        pairs: [],
      };
      windows.set(key, w);
    }
    w.pairs.push({ champion, requests: Number(r.requests), agreements: Number(r.agreements) });
  }
  for (const w of windows.values()) w.pairs.sort((a, b) => byVersion(a.champion, b.champion));
  return [...windows.values()];
}

/** Per model and hour of request_predictions from `fromS`: when its last row was stored, its newest event time. */
const hoursSql = (table: string, fromS: number) =>
  `SELECT model_id, toUInt64(toUnixTimestamp(toStartOfHour(event_time))) * 1000 AS start_ms,
          max(ingested_at) AS last_stored, max(event_time_ms) AS hour_newest_ms
   FROM ${table} WHERE event_time >= toDateTime(${fromS}) GROUP BY model_id, start_ms`;

/**
 * The shadow_agreement view's figures (migration 0019: the same pairs, hours and counts), for the hours from
 * `fromS` only: the view itself would join the whole table at every poll.
 */
const agreementSql = (table: string, fromS: number) =>
  `SELECT model_id, version_a, version_b, toUInt64(toUnixTimestamp(toStartOfHour(event_time))) * 1000 AS start_ms,
          count() AS requests, sum(label_a = label_b) AS agreements
   FROM
   (
       SELECT model_id, request_id, model_version AS version_a, predicted_label AS label_a, event_time
       FROM ${table} FINAL WHERE event_time >= toDateTime(${fromS})
   ) AS a
   ALL INNER JOIN
   (
       SELECT model_id, request_id, model_version AS version_b, predicted_label AS label_b
       FROM ${table} FINAL WHERE event_time >= toDateTime(${Math.max(0, fromS - 3600)})
   ) AS b USING (model_id, request_id)
   WHERE version_a < version_b
   GROUP BY model_id, version_a, version_b, start_ms`;

/** The closed hours of shadow agreement ending after `sinceMs` (see readAgreementWindows). */
export function closedAgreementSql(database: string, sinceMs: number): string {
  const table = `${database}.request_predictions`;
  const fromS = Math.max(0, Math.floor((sinceMs - HOUR_MS) / 1000));
  const hours = hoursSql(table, fromS);
  const unsettled = `last_stored > now() - ${AGREEMENT_SETTLE_S}`;
  return `SELECT model_id, version_a, version_b, start_ms, requests, agreements
FROM (${agreementSql(table, fromS)}) AS pairs
ALL INNER JOIN
(
    SELECT model_id, start_ms
    FROM (${hours}) AS h
    ALL INNER JOIN
    (
        SELECT model_id, max(hour_newest_ms) AS newest_ms, countIf(${unsettled}) AS unsettled,
               minIf(start_ms, ${unsettled}) AS first_unsettled_ms
        FROM (${hours}) GROUP BY model_id
    ) AS n USING (model_id)
    WHERE start_ms + ${HOUR_MS} + ${AGREEMENT_GRACE_MS} <= newest_ms
      AND (unsettled = 0 OR start_ms < first_unsettled_ms)
) AS closed USING (model_id, start_ms)
WHERE start_ms + ${HOUR_MS} > ${sinceMs}`;
}

/**
 * Closed agreement windows ending after the bound's look-back. An hour is closed once the model's newest request
 * prediction is AGREEMENT_GRACE_MS past its end AND no row of it or of an earlier hour of the model was stored
 * in the last AGREEMENT_SETTLE_S seconds (wall clock): the sink writes each partition on its own, so the
 * production version's later requests can be stored before the shadow's rows of the hour, and each window is
 * judged once, in order (a later hour that settled first waits, or the cursor would pass the earlier one).
 * Windows already evaluated are skipped by their cursor; the shadow version is chosen after reading, so the
 * bound's per-series lower bound does not apply here. SQL for ClickHouse 18.16 (one JOIN per SELECT) and current.
 */
export async function readAgreementWindows(d: InputDeps, bound: ReadBound): Promise<AgreementWindow[]> {
  const since = Math.max(0, Math.floor(Math.min(bound.sinceMs, bound.newSeriesSinceMs)));
  return agreementWindowsFromRows(
    await query<AgreementRow>(d.clickhouse, closedAgreementSql(d.database, since)),
  );
}
