import { escapeHtml } from './format.ts';
import { emptyChart, frame, legend, svgRoot, timeAxis, type Frame } from './svg-frame.ts';
import { linearScale, niceTicks, px, type Scale } from './svg-scale.ts';

export { heatmapChart, type HeatmapSpec } from './svg-heatmap.ts';
export { timelineChart, type TimelineSpec } from './svg-timeline.ts';

/** Colours that stay apart for colour-blind readers (Tableau 10), one per version. */
export const SERIES_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export interface LinePoint {
  x: number;
  y: number;
  /** Tooltip text. */
  label?: string;
}

export interface LineSeries {
  name: string;
  color: string;
  points: LinePoint[];
}

export interface LineChartSpec {
  title: string;
  series: LineSeries[];
  /** The time range of the x axis, so that charts of one report line up. */
  xDomain: [number, number];
  /** @default 560 (two side by side on a wide page) */
  width?: number;
  /** @default 240 */
  height?: number;
}

/** `M x y L x y ...`: one path per series; the points are also drawn as circles. */
export function linePath(points: LinePoint[], x: Scale, y: Scale): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(x(p.x))} ${px(y(p.y))}`).join(' ');
}

function yAxis(f: Frame, y: Scale, ticks: number[]): string[] {
  const out = [`<line class="axis" x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.bottom}"/>`];
  for (const t of ticks) {
    const at = px(y(t));
    out.push(
      `<line class="grid" x1="${f.left}" y1="${at}" x2="${f.right}" y2="${at}"/>`,
      `<text class="tick" x="${f.left - 6}" y="${at}" dy="4" text-anchor="end">${t}</text>`,
    );
  }
  return out;
}

function seriesMarks(s: LineSeries, x: Scale, y: Scale): string[] {
  const out = [
    `<path class="mark line" d="${linePath(s.points, x, y)}" fill="none" stroke="${s.color}" stroke-width="2"/>`,
  ];
  for (const p of s.points) {
    const tip = p.label ? `<title>${escapeHtml(p.label)}</title>` : '';
    out.push(
      `<circle class="mark point" cx="${px(x(p.x))}" cy="${px(y(p.y))}" r="3" fill="${s.color}">${tip}</circle>`,
    );
  }
  return out;
}

/** A line chart over time: one line per series, y axis on round ticks around the data. Pure. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 560;
  const values = spec.series.flatMap((s) => s.points.map((p) => p.y)).filter(Number.isFinite);
  if (values.length === 0) return emptyChart('line', spec.title, width, 'no data in this range');
  const f = frame(width, spec.height ?? 240);
  const { domain, ticks } = niceTicks(Math.min(...values), Math.max(...values), 4);
  const x = linearScale(spec.xDomain, [f.left, f.right]);
  const y = linearScale(domain, [f.bottom, f.top]);
  const series = spec.series.map((s) => ({ ...s, points: s.points.filter((p) => Number.isFinite(p.y)) }));
  return svgRoot('line', spec.title, f, [
    ...yAxis(f, y, ticks),
    ...timeAxis(f, x, spec.xDomain[0], spec.xDomain[1]),
    ...series.flatMap((s) => seriesMarks(s, x, y)),
    ...legend(
      f,
      series.filter((s) => s.points.length > 0).map((s) => ({ label: s.name, color: s.color })),
    ),
  ]);
}
