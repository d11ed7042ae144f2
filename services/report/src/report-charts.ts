import { featureLabel, MAX_SCORE, type DriftHeatmap } from './drift-model.ts';
import { formatCount, formatShare, formatTime, formatValue } from './format.ts';
import type { ReportModel } from './model.ts';
import { heatmapChart, lineChart, SERIES_COLORS, timelineChart } from './svg-charts.ts';

/** Severity colours of the alert timeline; concept-drift detections get their own. */
export const SEVERITY_COLORS: Record<string, string> = {
  CRITICAL: '#d62728',
  WARNING: '#ff7f0e',
  INFO: '#1f77b4',
};
const CONCEPT_COLOR = '#9467bd';
const CONCEPT_LANE = 'CONCEPT_DRIFT (detector)';

/**
 * The x range every chart shares, so that a drop in accuracy lines up with the drift and the alert above it:
 * the span of the data, or the asked range when there is none.
 */
export function timeDomain(m: ReportModel): [number, number] {
  const starts = [
    ...m.performance.windows.map((w) => w.startMs),
    ...m.drift.windows.map((w) => w.startMs),
    ...m.drift.detections.map((d) => d.fromMs),
    ...m.alerts.events.map((a) => Math.min(a.windowStartMs, a.atMs)),
  ];
  const ends = [
    ...m.performance.windows.map((w) => w.endMs),
    ...m.drift.windows.map((w) => w.endMs),
    ...m.drift.detections.map((d) => d.atMs),
    ...m.alerts.events.map((a) => Math.max(a.windowEndMs, a.atMs)),
  ];
  if (starts.length === 0) return [m.range.fromMs, m.range.toMs];
  return [Math.max(m.range.fromMs, Math.min(...starts)), Math.min(m.range.toMs, Math.max(...ends))];
}

const colorOf = (versions: string[], v: string) =>
  SERIES_COLORS[Math.max(0, versions.indexOf(v)) % SERIES_COLORS.length]!;

/** One line chart per headline metric, one line per version. */
export function performanceCharts(m: ReportModel, domain: [number, number]): string[] {
  const p = m.performance;
  return p.metrics.map((metric) =>
    lineChart({
      title: `${metric} per ${p.windowSize ?? ''} window`,
      xDomain: domain,
      series: p.series
        .filter((s) => s.metric === metric)
        .map((s) => ({
          name: s.version,
          color: colorOf(m.versions, s.version),
          points: s.points.map((pt) => ({
            x: (pt.startMs + pt.endMs) / 2,
            y: pt.value,
            label: `${s.version} ${formatTime(pt.startMs)}: ${metric} ${formatValue(pt.value)}`,
          })),
        })),
    }),
  );
}

function cellLabel(h: DriftHeatmap, c: DriftHeatmap['cells'][number]): string {
  const w = h.windows[c.col]!;
  const p = c.pValue === null ? '' : `, p ${formatValue(c.pValue)}`;
  const t = c.threshold === null ? '' : `, threshold ${formatValue(c.threshold)}`;
  return (
    `${featureLabel(h.features[c.row]!)} ${formatTime(w.startMs)}: ${c.method} ${formatValue(c.statistic)}` +
    `${p}${t}, ${c.drifted ? 'DRIFTED' : 'no drift'} (${formatCount(c.samples)} samples)`
  );
}

/** One heatmap per version: features × windows, coloured by how far each test is past its threshold. */
export function driftCharts(m: ReportModel, domain: [number, number]): string[] {
  const heatmaps = m.drift.heatmaps.map((h) =>
    heatmapChart({
      title: `drift of ${h.version}: decisive test per feature and window`,
      rows: h.features.map(featureLabel),
      xDomain: domain,
      maxScore: MAX_SCORE,
      cells: h.cells.map((c) => ({
        row: c.row,
        startMs: h.windows[c.col]!.startMs,
        endMs: h.windows[c.col]!.endMs,
        score: c.score,
        drifted: c.drifted,
        label: cellLabel(h, c),
      })),
    }),
  );
  if (heatmaps.length === 0)
    heatmaps.push(
      heatmapChart({ title: 'drift per feature and window', rows: [], cells: [], xDomain: domain }),
    );
  const withShare = m.drift.windows.filter((w) => w.share !== null);
  if (withShare.length === 0) return heatmaps;
  const share = lineChart({
    title: 'share of drifted features per window',
    xDomain: domain,
    series: [...new Set(withShare.map((w) => w.version))].map((v) => ({
      name: v,
      color: colorOf(m.versions, v),
      points: withShare
        .filter((w) => w.version === v)
        .map((w) => ({
          x: (w.startMs + w.endMs) / 2,
          y: w.share!,
          label: `${v} ${formatTime(w.startMs)}: ${formatShare(w.share)} drifted (${w.drifted.length}/${w.tested})`,
        })),
    })),
  });
  return [...heatmaps, share];
}

/** Alerts by kind on lanes, coloured by severity; concept-drift detections on a lane of their own. */
export function alertsChart(m: ReportModel, domain: [number, number]): string {
  const kinds = [...new Set(m.alerts.events.map((a) => a.kind))].sort();
  const lanes = m.drift.detections.length > 0 ? [...kinds, CONCEPT_LANE] : kinds;
  const items = m.alerts.events.map((a) => ({
    lane: kinds.indexOf(a.kind),
    startMs: a.windowStartMs,
    endMs: a.windowEndMs,
    atMs: a.atMs,
    color: SEVERITY_COLORS[a.severity] ?? '#7f7f7f',
    faded: a.status === 'RESOLVED',
    label: `${formatTime(a.atMs)} ${a.severity} ${a.status} ${a.version} ${a.metric}: ${a.message}`,
  }));
  const detections = m.drift.detections.map((d) => ({
    lane: lanes.length - 1,
    startMs: d.fromMs,
    endMs: d.atMs,
    atMs: d.atMs,
    color: CONCEPT_COLOR,
    label: `${formatTime(d.atMs)} ${d.detector} on ${d.version}: mean error ${formatValue(d.meanError)}`,
  }));
  return timelineChart({
    title: 'alerts over time (bar: the window, dot: when raised; pale = resolved)',
    lanes,
    items: [...items, ...detections],
    xDomain: domain,
    legend: [
      ...Object.entries(SEVERITY_COLORS).map(([label, color]) => ({ label, color })),
      ...(detections.length > 0 ? [{ label: 'concept drift', color: CONCEPT_COLOR }] : []),
    ],
  });
}
