import { featureLabel } from './drift-model.ts';
import { formatCount, formatShare, formatTime, formatValue } from './format.ts';
import type { ReportModel } from './model.ts';
import { estimationText } from './estimation-text.ts';
import { renderTextTable } from './text-table.ts';

/** Rows per section at most: the newest windows; the HTML page shows them all. @default 24 */
export const TERMINAL_ROWS = 24;

function header(m: ReportModel): string {
  const versions = m.version ?? (m.versions.length > 0 ? m.versions.join(', ') : 'none found');
  return [
    `Driftline report: model ${m.modelId}, version ${versions}`,
    `${formatTime(m.range.fromMs)} to ${formatTime(m.range.toMs)} UTC, database ${m.database}`,
  ].join('\n');
}

/** The newest `limit` rows, with a line saying how many were left out. */
function newest<T>(rows: T[], limit: number): { shown: T[]; omitted: string } {
  if (rows.length <= limit) return { shown: rows, omitted: '' };
  return {
    shown: rows.slice(rows.length - limit),
    omitted: `(${rows.length - limit} older rows not shown)\n`,
  };
}

function performance(m: ReportModel, limit: number): string {
  const p = m.performance;
  const title = `Performance${p.windowSize ? ` per ${p.windowSize} window` : ''}`;
  if (p.windows.length === 0) return `${title}\n(no performance rows in this range)`;
  const { shown, omitted } = newest(p.windows, limit);
  const table = renderTextTable(
    [
      { header: 'window start' },
      { header: 'version' },
      ...p.metrics.map((metric) => ({ header: metric, align: 'right' as const })),
      { header: 'samples', align: 'right' },
      { header: 'final' },
    ],
    shown.map((w) => [
      formatTime(w.startMs),
      w.version,
      ...p.metrics.map((metric) => formatValue(w.values[metric])),
      formatCount(w.samples),
      w.final ? 'yes' : 'open',
    ]),
  );
  return `${title}\n${omitted}${table}`;
}

function drift(m: ReportModel, limit: number): string {
  const d = m.drift;
  const title = 'Drift (decisive test per feature)';
  if (d.windows.length === 0 && d.detections.length === 0) return `${title}\n(no drift rows in this range)`;
  const { shown, omitted } = newest(d.windows, limit);
  const table = renderTextTable(
    [
      { header: 'window start' },
      { header: 'version' },
      { header: 'drifted', align: 'right' },
      { header: 'share', align: 'right' },
      { header: 'dataset' },
      { header: 'drifted features', maxWidth: 70 },
    ],
    shown.map((w) => [
      formatTime(w.startMs),
      w.version,
      `${w.drifted.length}/${w.tested}`,
      formatShare(w.share),
      w.datasetDrifted ? 'DRIFT' : 'ok',
      w.drifted.map(featureLabel).join(', '),
    ]),
  );
  const detections = d.detections.map(
    (c) =>
      `concept drift: ${c.detector} on ${c.version} at ${formatTime(c.atMs)} ` +
      `(mean error ${formatValue(c.meanError)} over ${formatCount(c.samples)} labeled predictions)`,
  );
  return [`${title}\n${omitted}${table}`, ...detections].join('\n');
}

function alerts(m: ReportModel, limit: number): string {
  const a = m.alerts;
  const title = `Alerts (${a.events.length} events, ${a.firing.length} firing now)`;
  if (a.events.length === 0) return `${title}\n(no alerts in this range)`;
  const { shown, omitted } = newest(a.events, limit);
  const table = renderTextTable(
    [
      { header: 'time' },
      { header: 'version' },
      { header: 'severity' },
      { header: 'kind' },
      { header: 'status' },
      { header: 'metric', maxWidth: 24 },
      { header: 'value', align: 'right' },
      { header: 'threshold', align: 'right' },
      { header: 'message', maxWidth: 60 },
    ],
    shown.map((e) => [
      formatTime(e.atMs),
      e.version,
      e.severity,
      e.kind,
      e.status,
      e.metric,
      formatValue(e.value),
      formatValue(e.threshold),
      e.message,
    ]),
  );
  return `${title}\n${omitted}${table}`;
}

/** The report as plain text for a terminal: a header, the sections and the notes. Pure. */
export function renderTerminal(m: ReportModel, limit = TERMINAL_ROWS): string {
  const sections = [header(m), performance(m, limit), drift(m, limit), alerts(m, limit)];
  // Only for models the estimator covers: a regressor's report stays as it was.
  if (m.estimation.windows.length > 0) sections.push(...estimationText(m.estimation, limit));
  if (m.notes.length > 0) sections.push(['Notes', ...m.notes.map((n) => `- ${n}`)].join('\n'));
  return `${sections.join('\n\n')}\n`;
}
