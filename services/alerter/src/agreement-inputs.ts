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

/**
 * Closed agreement windows ending after the bound's look-back: an hour is closed once the model's newest
 * request prediction is AGREEMENT_GRACE_MS past its end. Windows already evaluated are skipped by their cursor.
 * The shadow version is chosen after reading, so the bound's per-series lower bound does not apply here.
 */
export async function readAgreementWindows(d: InputDeps, bound: ReadBound): Promise<AgreementWindow[]> {
  const since = Math.max(0, Math.floor(Math.min(bound.sinceMs, bound.newSeriesSinceMs)));
  const rows = await query<AgreementRow>(
    d.clickhouse,
    `SELECT model_id, version_a, version_b, toUInt64(toUnixTimestamp(window_start)) * 1000 AS start_ms,
            requests, agreements
     FROM ${d.database}.shadow_agreement
     ALL INNER JOIN
     (
         SELECT model_id, max(event_time_ms) AS newest_ms FROM ${d.database}.request_predictions GROUP BY model_id
     ) USING (model_id)
     WHERE start_ms + ${HOUR_MS} + ${AGREEMENT_GRACE_MS} <= newest_ms AND start_ms + ${HOUR_MS} > ${since}`,
  );
  return agreementWindowsFromRows(rows);
}
