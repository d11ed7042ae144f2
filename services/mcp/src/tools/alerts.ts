import { z } from 'zod';
import { ToolInputError } from '../errors.ts';
import type { Row } from '../reader.ts';
import { andEquals, iso, num, parseJsonColumn, quote } from '../sql.ts';
import { defineTool, type ToolContext } from '../tool.ts';
import { limit } from '../tool-args.ts';

const openInput = {
  model_id: z.string().min(1).max(256).optional().describe('only this model (default all)'),
  kind: z
    .enum([
      'PERFORMANCE',
      'DATA_DRIFT',
      'PREDICTION_DRIFT',
      'LATENCY',
      'DATA_QUALITY',
      'CONCEPT_DRIFT',
      'SHADOW_AGREEMENT',
    ])
    .optional(),
  severity: z.enum(['INFO', 'WARNING', 'CRITICAL']).optional(),
  limit: limit(50, 500),
};

type OpenArgs = z.output<z.ZodObject<typeof openInput>>;

/**
 * Open alerts: each alert series (model, version, kind, metric) whose newest event is FIRING. A RESOLVED event
 * (or the withdrawal of a provisional alert) closes its series; a later FIRING opens it again.
 */
export function openAlertsSql(db: string, a: OpenArgs): string {
  return `SELECT alert_id, model_id, model_version, kind, severity, status, window_start_ms, window_end_ms,
       metric, value, threshold, message, provisional, created_at_ms
FROM ${db}.alerts FINAL
WHERE alert_id IN (
  SELECT last_id FROM (
    SELECT argMax(alert_id, created_at_ms) AS last_id, argMax(status, created_at_ms) AS last_status
    FROM ${db}.alerts FINAL
    WHERE 1 ${andEquals('model_id', a.model_id)} ${andEquals('kind', a.kind)}
    GROUP BY model_id, model_version, kind, metric
  ) WHERE last_status = 'FIRING')
  ${andEquals('severity', a.severity)}
ORDER BY created_at_ms DESC, alert_id
LIMIT ${a.limit}`;
}

function summary(r: Row) {
  return {
    alert_id: r.alert_id,
    model_id: r.model_id,
    model_version: r.model_version,
    kind: r.kind,
    severity: r.severity,
    status: r.status,
    provisional: num(r.provisional) === 1,
    metric: r.metric,
    value: num(r.value),
    threshold: num(r.threshold),
    window_start: iso(r.window_start_ms),
    window_end: iso(r.window_end_ms),
    created_at: iso(r.created_at_ms),
    message: r.message,
  };
}

export const openAlerts = defineTool({
  name: 'open_alerts',
  title: 'Open alerts',
  description:
    'Alerts still firing (the newest event of their series is FIRING), newest first, optionally for one model, ' +
    'kind or severity. Use alert_details for the evidence and diagnosis of one.',
  input: openInput,
  run: async (ctx: ToolContext, a: OpenArgs) => {
    const alerts = (await ctx.select(openAlertsSql(ctx.database, a))).map(summary);
    return { count: alerts.length, alerts };
  },
});

const detailInput = {
  alert_id: z.string().min(1).max(128).describe('alert_id from open_alerts or the alert topic'),
};

export function alertSql(db: string, alertId: string): string {
  return `SELECT alert_id, model_id, model_version, kind, severity, status, window_start_ms, window_end_ms,
       metric, value, threshold, message, provisional, created_at_ms, evidence, diagnosis
FROM ${db}.alerts FINAL WHERE alert_id = ${quote(alertId)} LIMIT 1`;
}

export const alertDetails = defineTool({
  name: 'alert_details',
  title: 'Alert evidence and diagnosis',
  description:
    "One alert with its evidence (the features, classes or tests behind it, with their scores) and the alerter's " +
    'diagnosis (data drift, concept drift, operational, ...).',
  input: detailInput,
  run: async (ctx: ToolContext, a: { alert_id: string }) => {
    const [row] = await ctx.select(alertSql(ctx.database, a.alert_id));
    if (row === undefined) throw new ToolInputError(`no alert with alert_id ${JSON.stringify(a.alert_id)}`);
    return {
      ...summary(row),
      evidence: parseJsonColumn(row.evidence),
      diagnosis: parseJsonColumn(row.diagnosis),
    };
  },
});
