import type { ClickHouseClient } from '../../../core/src/clickhouse/client.ts';
import { sqlString } from '../../../core/src/clickhouse/sql-string.ts';
import { ALERTS, type AlertAnyRow } from '../../../core/src/tables/alerts.ts';
import { RETRAIN_TRIGGERS, type RetrainTriggerAnyRow } from '../../../core/src/tables/retrain-triggers.ts';
import type { DemoAlert, DemoTrigger } from '../../../simulator/src/demo-truth.ts';

/** Every alert and trigger event of a demo run that landed in ClickHouse, kept as they land. */
export interface Seen {
  /** Alert events by alert_id and provisional flag. */
  alerts: Map<string, DemoAlert>;
  triggers: Map<string, DemoTrigger>;
}

/** An alerts row as the demo reads it, its kind and status those of the demo's events. */
type AlertRow = Pick<
  AlertAnyRow,
  | 'alert_id'
  | 'model_id'
  | 'model_version'
  | 'metric'
  | 'window_start_ms'
  | 'window_end_ms'
  | 'evidence'
  | 'provisional'
  | 'message'
  | 'created_at_ms'
> &
  Pick<DemoAlert, 'kind' | 'status'>;

async function rows<T>(ch: ClickHouseClient, query: string): Promise<T[]> {
  try {
    return await (await ch.query({ query, format: 'JSONEachRow' })).json<T>();
  } catch {
    return []; // a table the services have not created yet
  }
}

/**
 * Reads the run's alert and trigger events (event time from `fromSec`) into `seen`, without FINAL: an event
 * is kept from the moment it lands. Returns the alert events not seen before, in the order they were made.
 */
export async function collectEvents(
  ch: ClickHouseClient,
  db: string,
  fromSec: number,
  seen: Seen,
): Promise<DemoAlert[]> {
  const fresh: { alert: DemoAlert; createdMs: number }[] = [];
  const alerts = await rows<AlertRow>(
    ch,
    `SELECT DISTINCT alert_id, model_id, model_version, kind, metric, status, window_start_ms, window_end_ms,
            evidence, provisional, message, created_at_ms
     FROM ${db}.${ALERTS} WHERE window_start >= toDateTime(${fromSec})`,
  );
  for (const r of alerts) {
    const alert: DemoAlert = {
      alert_id: r.alert_id,
      model_id: r.model_id,
      model_version: r.model_version,
      kind: r.kind,
      metric: r.metric,
      status: r.status,
      message: r.message,
      window_start: Number(r.window_start_ms),
      window_end: Number(r.window_end_ms),
      evidence: JSON.parse(r.evidence) as DemoAlert['evidence'],
      provisional: Number(r.provisional) === 1,
    };
    const key = `${alert.alert_id}|${alert.provisional}`;
    if (seen.alerts.has(key)) continue;
    seen.alerts.set(key, alert);
    fresh.push({ alert, createdMs: Number(r.created_at_ms) });
  }
  const triggers = await rows<
    Pick<RetrainTriggerAnyRow, 'trigger_id' | 'model_id' | 'model_version' | 'reasons' | 'triggered_at_ms'>
  >(
    ch,
    `SELECT DISTINCT trigger_id, model_id, model_version, reasons, triggered_at_ms
     FROM ${db}.${RETRAIN_TRIGGERS} WHERE triggered_at >= toDateTime(${fromSec})`,
  );
  for (const t of triggers) {
    const { trigger_id, model_id, model_version, reasons } = t;
    seen.triggers.set(trigger_id, {
      model_id,
      model_version,
      reasons,
      triggered_at: Number(t.triggered_at_ms),
    });
  }
  return fresh.sort((a, b) => a.createdMs - b.createdMs).map((f) => f.alert);
}

/**
 * The event time of the latest prediction an earlier demo run left (its models), or null. A new run starts
 * after it: the services keep each model's stream time, alert cursors and baselines, so a run whose event
 * time overlapped an earlier one would find its windows closed and its labels late.
 */
export async function lastDemoEventMs(
  ch: ClickHouseClient,
  db: string,
  models: readonly string[],
): Promise<number | null> {
  const list = models.map(sqlString).join(', ');
  const [row] = await rows<{ n: string | number; last: string | number }>(
    ch,
    `SELECT count() AS n, max(event_time_ms) AS last FROM ${db}.inference_log WHERE model_id IN (${list})`,
  );
  return row && Number(row.n) > 0 ? Number(row.last) : null;
}
