import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { ERROR_FEATURE } from '../../core/src/records/reserved-names.ts';

/** What the demo shows each tick, read from ClickHouse: the tables users query. */
export interface LiveSnapshot {
  predictions: number;
  labeled: number;
  accuracy: { window: string; version: string; value: number; n: number }[];
  drift: { window: string; feature: string; method: string; statistic: number; drifted: boolean }[];
  alerts: { id: string; text: string }[];
  triggers: { id: string; text: string }[];
}

async function rows<T>(ch: ClickHouseClient, query: string): Promise<T[]> {
  try {
    return await (await ch.query({ query, format: 'JSONEachRow' })).json<T>();
  } catch {
    return []; // a table a service has not created yet
  }
}

const hhmm = (s: string) => s.slice(11, 16);

/** Reads one snapshot of the demo run's figures (event time from `fromSec`, in epoch seconds). */
export async function readSnapshot(
  ch: ClickHouseClient,
  db: string,
  runId: string,
  fromSec: number,
): Promise<LiveSnapshot> {
  const since = `toDateTime(${fromSec})`;
  const [counts] = await rows<{ p: string; l: string }>(
    ch,
    `SELECT (SELECT count() FROM ${db}.inference_log FINAL WHERE prediction_id LIKE '${runId}-%') AS p,
            (SELECT count() FROM ${db}.labeled_predictions FINAL WHERE prediction_id LIKE '${runId}-%') AS l`,
  );
  const accuracy = await rows<{ w: string; v: string; value: number; n: string }>(
    ch,
    `SELECT toString(window_start) AS w, model_version AS v, value, sample_count AS n FROM ${db}.performance_metrics FINAL
     WHERE model_id = 'churn' AND metric = 'accuracy' AND segment = '' AND window_size = '1m' AND window_start >= ${since}
     ORDER BY window_start DESC, v LIMIT 4`,
  );
  const drift = await rows<{
    w: string;
    feature: string;
    method: string;
    statistic: number;
    drifted: number;
  }>(
    ch,
    `SELECT toString(window_start) AS w, feature, method, statistic, drifted FROM ${db}.drift_metrics FINAL
     WHERE model_id = 'churn' AND model_version = 'v1' AND decisive = 1 AND feature != '${ERROR_FEATURE}' AND window_start >= ${since}
       AND window_start = (SELECT max(window_start) FROM ${db}.drift_metrics WHERE model_id = 'churn' AND feature != '${ERROR_FEATURE}' AND window_start >= ${since})
     ORDER BY drifted DESC, statistic DESC LIMIT 4`,
  );
  const alerts = await rows<{ alert_id: string; t: string }>(
    ch,
    `SELECT alert_id, concat(status, ' ', severity, ' ', kind, ' ', model_id, '/', model_version, ' window ', toString(window_start), ': ', message) AS t
     FROM ${db}.alerts FINAL WHERE window_start >= ${since} ORDER BY created_at_ms`,
  );
  const triggers = await rows<{ trigger_id: string; t: string }>(
    ch,
    `SELECT trigger_id, concat('RETRAIN ', model_id, '/', model_version, ' at ', toString(triggered_at), ': ', arrayStringConcat(reasons, '; ')) AS t
     FROM ${db}.retrain_triggers FINAL WHERE triggered_at >= ${since} ORDER BY triggered_at_ms`,
  );
  return {
    predictions: Number(counts?.p ?? 0),
    labeled: Number(counts?.l ?? 0),
    accuracy: accuracy.map((r) => ({ window: hhmm(r.w), version: r.v, value: r.value, n: Number(r.n) })),
    drift: drift.map((r) => ({
      window: hhmm(r.w),
      feature: r.feature,
      method: r.method,
      statistic: r.statistic,
      drifted: r.drifted === 1,
    })),
    alerts: alerts.map((r) => ({ id: r.alert_id, text: r.t })),
    triggers: triggers.map((r) => ({ id: r.trigger_id, text: r.t })),
  };
}

/** One status line per tick. Pure. */
export function statusLine(s: LiveSnapshot, lag: number, elapsedSec: number): string {
  const acc = s.accuracy.map((a) => `${a.window} ${a.version} ${a.value.toFixed(3)}`).join(', ') || '-';
  const drift =
    s.drift
      .map((d) => `${d.feature} ${d.method}=${d.statistic.toFixed(3)}${d.drifted ? '*' : ''}`)
      .join(', ') || '-';
  return `[${elapsedSec.toFixed(0).padStart(3)} s] predictions ${s.predictions}  labeled ${s.labeled}  lag ${lag}  | accuracy ${acc}  | drift ${drift}`;
}
