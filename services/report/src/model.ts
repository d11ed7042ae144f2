import { driftSection, type DriftSection } from './drift-model.ts';
import { estimationSection, type EstimationSection } from './estimation-model.ts';
import { performanceSection, type PerformanceSection } from './performance-model.ts';
import type { TimeRange } from '../../core/src/windows/time-range.ts';
import type { AlertRow, ReportRows, ReportTable } from './rows.ts';

export interface AlertsSection {
  /** Every alert event in the range, oldest first (a FIRING and its RESOLVED are two events). */
  events: AlertRow[];
  /** Conditions ('v1 PERFORMANCE accuracy') whose latest event in the range is FIRING. */
  firing: string[];
}

/** Everything the terminal table and the HTML page show. Pure data: no I/O, no formatting. */
export interface ReportModel {
  modelId: string;
  /** The version asked for, or null for all versions. */
  version: string | null;
  versions: string[];
  database: string;
  range: TimeRange;
  generatedAtMs: number;
  performance: PerformanceSection;
  drift: DriftSection;
  alerts: AlertsSection;
  /** Performance estimated before the labels, beside the realized figures; features ranked against it. */
  estimation: EstimationSection;
  /** What the reader should know: missing tables, automatic choices, truncation. */
  notes: string[];
}

export interface ReportContext {
  modelId: string;
  version?: string;
  database: string;
  range: TimeRange;
  generatedAtMs: number;
}

/** Which service writes each table: a missing table usually means that service has not run yet. */
const WRITERS: Record<ReportTable, string> = {
  performance_metrics: 'the performance-monitor',
  drift_metrics: 'the drift-monitor',
  alerts: 'the alerter',
};

/** The condition an alert is about; its FIRING, escalation and RESOLVED events share it, not their ids. */
export function alertCondition(a: Pick<AlertRow, 'version' | 'kind' | 'metric'>): string {
  return `${a.version} ${a.kind} ${a.metric}`;
}

/**
 * One event per (alert id, status): a redelivered publish may be stored twice but happened once. The alerter
 * gives each event its own id (a hash that includes the status), so the lifecycle is followed by condition.
 */
function alertsSection(rows: AlertRow[]): AlertsSection {
  const unique = new Map<string, AlertRow>();
  for (const r of rows) unique.set(`${r.alertId}\u0000${r.status}`, r);
  const events = [...unique.values()].sort((a, b) => a.atMs - b.atMs || a.alertId.localeCompare(b.alertId));
  const latest = new Map<string, AlertRow>();
  for (const e of events) latest.set(alertCondition(e), e);
  const firing = [...latest.entries()].filter(([, e]) => e.status === 'FIRING').map(([key]) => key);
  return { events, firing: firing.sort() };
}

function notes(rows: ReportRows, ctx: ReportContext, performance: PerformanceSection): string[] {
  const out = rows.missingTables.map(
    (t) => `table ${ctx.database}.${t} does not exist yet (it is written by ${WRITERS[t]}): nothing shown`,
  );
  if (rows.alertsProblem) out.push(`table ${ctx.database}.alerts cannot be read: ${rows.alertsProblem}`);
  for (const t of rows.truncated) out.push(`table ${ctx.database}.${t}: only the first rows are shown`);
  const others = performance.windowSizes.filter((s) => s !== performance.windowSize);
  if (performance.windowSize !== null && others.length > 0)
    out.push(`performance per ${performance.windowSize} window (also stored: ${others.join(', ')})`);
  return out;
}

/**
 * Rows read from ClickHouse → the report. Pure and deterministic: the same rows and context give the same
 * model (the clock comes in through `generatedAtMs`).
 */
export function buildReport(rows: ReportRows, ctx: ReportContext): ReportModel {
  const performance = performanceSection(rows.performance);
  const drift = driftSection(rows.drift);
  const alerts = alertsSection(rows.alerts);
  const versions = new Set([
    ...rows.performance.map((r) => r.version),
    ...rows.drift.map((r) => r.version),
    ...alerts.events.map((a) => a.version),
    ...(rows.estimates ?? []).map((e) => e.version),
  ]);
  return {
    modelId: ctx.modelId,
    version: ctx.version ?? null,
    versions: [...versions].filter((v) => v !== '').sort(),
    database: ctx.database,
    range: ctx.range,
    generatedAtMs: ctx.generatedAtMs,
    performance,
    drift,
    alerts,
    estimation: estimationSection(rows.estimates ?? [], rows.drift),
    notes: notes(rows, ctx, performance),
  };
}
