import { featureLabel } from './drift-model.ts';
import { escapeHtml as e, formatShare, formatSpan, formatTime, formatValue } from './format.ts';
import { REPORT_CSS } from './html-style.ts';
import { estimationHtml } from './estimation-html.ts';
import type { ReportModel } from './model.ts';
import { alertsChart, driftCharts, performanceCharts, timeDomain } from './report-charts.ts';

interface Card {
  key: string;
  value: string;
  bad?: boolean;
}

function cards(m: ReportModel): Card[] {
  const out: Card[] = [];
  for (const metric of m.performance.metrics) {
    for (const s of m.performance.series.filter((x) => x.metric === metric)) {
      const last = s.points.at(-1);
      if (last) out.push({ key: `${metric} ${s.version} (latest)`, value: formatValue(last.value) });
    }
  }
  for (const v of m.versions) {
    const last = m.drift.windows.filter((w) => w.version === v).at(-1);
    if (last)
      out.push({
        key: `drifted features ${v} (latest)`,
        value: `${last.drifted.length}/${last.tested}`,
        bad: last.datasetDrifted,
      });
  }
  out.push({ key: 'alert events', value: String(m.alerts.events.length) });
  out.push({
    key: 'alerts firing now',
    value: String(m.alerts.firing.length),
    bad: m.alerts.firing.length > 0,
  });
  return out;
}

function cardsHtml(m: ReportModel): string {
  const items = cards(m).map(
    (c) =>
      `<div class="card${c.bad ? ' bad' : ''}"><div class="k">${e(c.key)}</div><div class="v">${e(c.value)}</div></div>`,
  );
  return `<div class="cards">${items.join('')}</div>`;
}

/** Cells are HTML already escaped; the last column (messages, feature lists) may wrap. */
function table(headers: string[], rows: string[][], numeric: number[] = []): string {
  const th = headers.map((h) => `<th>${e(h)}</th>`).join('');
  const cls = (i: number) =>
    numeric.includes(i) ? ' class="num"' : i === headers.length - 1 ? ' class="wrap"' : '';
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function alertsTable(m: ReportModel): string {
  if (m.alerts.events.length === 0) return '<p class="notes">No alerts in this range.</p>';
  const rows = [...m.alerts.events]
    .reverse()
    .map((a) => [
      e(formatTime(a.atMs)),
      e(a.version),
      `<span class="sev-${e(a.severity)}">${e(a.severity)}</span>`,
      e(a.kind),
      e(a.status),
      e(a.metric),
      e(formatValue(a.value)),
      e(formatValue(a.threshold)),
      e(formatSpan(a.windowStartMs, a.windowEndMs)),
      e(a.message),
    ]);
  return table(
    ['time', 'version', 'severity', 'kind', 'status', 'metric', 'value', 'threshold', 'window', 'message'],
    rows,
    [6, 7],
  );
}

function driftTable(m: ReportModel): string {
  const drifted = m.drift.windows.filter((w) => w.drifted.length > 0).reverse();
  if (drifted.length === 0) return '';
  const rows = drifted.map((w) => [
    e(formatTime(w.startMs)),
    e(w.version),
    e(`${w.drifted.length}/${w.tested}`),
    e(formatShare(w.share)),
    e(w.drifted.map(featureLabel).join(', ')),
  ]);
  // Folded: on a long range this list is long, and the heatmap above already shows it.
  return (
    `<details><summary>Windows with drifted features (${drifted.length})</summary>` +
    `${table(['window start', 'version', 'drifted', 'share', 'features'], rows, [2, 3])}</details>`
  );
}

function section(title: string, charts: string[], extra = ''): string {
  return `<section><h2>${e(title)}</h2><div class="charts">${charts.join('')}</div>${extra}</section>`;
}

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no network. Everything from the
 * database is escaped. Pure.
 */
export function renderHtml(m: ReportModel): string {
  const domain = timeDomain(m);
  const versions = m.version ?? (m.versions.join(', ') || 'none found');
  const perf = performanceCharts(m, domain);
  const notes =
    m.notes.length > 0 ? `<ul class="notes">${m.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>Driftline report: ${e(m.modelId)}</title>`,
    `<style>${REPORT_CSS}</style></head><body><main>`,
    `<h1>Driftline report: model ${e(m.modelId)}</h1>`,
    `<p class="sub">version ${e(versions)} · ${e(formatTime(m.range.fromMs))} to ${e(formatTime(m.range.toMs))} UTC` +
      ` · database ${e(m.database)} · generated ${e(formatTime(m.generatedAtMs))} UTC</p>`,
    cardsHtml(m),
    section(
      'Performance',
      perf.length > 0 ? perf : ['<p class="notes">No performance rows in this range.</p>'],
    ),
    m.estimation.windows.length > 0
      ? section('Estimated before labels (CBPE)', [], estimationHtml(m.estimation, table))
      : '',
    section('Drift', driftCharts(m, domain), driftTable(m)),
    section('Alerts', [alertsChart(m, domain)], alertsTable(m)),
    notes ? `<h2>Notes</h2>${notes}` : '',
    '</main></body></html>',
    '',
  ].join('\n');
}
