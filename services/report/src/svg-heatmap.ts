import { escapeHtml } from './format.ts';
import { emptyChart, frame, legend, svgRoot, timeAxis, type Frame } from './svg-frame.ts';
import { linearScale, px, type Scale } from './svg-scale.ts';

export interface HeatmapCell {
  row: number;
  startMs: number;
  endMs: number;
  /** 0 = no change, 1 = at the threshold, up to `maxScore` = far past it. */
  score: number;
  drifted: boolean;
  label: string;
}

export interface HeatmapSpec {
  title: string;
  rows: string[];
  cells: HeatmapCell[];
  xDomain: [number, number];
  /** @default 3 */
  maxScore?: number;
  /** @default 1136 (the page's full width) */
  width?: number;
}

const ROW_HEIGHT = 20;
type Rgb = [number, number, number];
const CALM: [Rgb, Rgb] = [
  [232, 241, 250],
  [253, 224, 178],
];
const DRIFT: [Rgb, Rgb] = [
  [252, 141, 89],
  [153, 0, 13],
];

function mix([a, b]: [Rgb, Rgb], t: number): string {
  const k = Math.min(1, Math.max(0, t));
  const c = a.map((v, i) => Math.round(v + (b[i]! - v) * k));
  return `rgb(${c.join(',')})`;
}

/**
 * Cell colour: pale blue to pale orange while the feature is within its threshold, orange to dark red once
 * the monitor says it drifted. The monitor's verdict picks the scale (it may differ from the raw score
 * after the multiple-testing correction); the score picks the shade.
 */
export function heatColor(score: number, drifted: boolean, maxScore = 3): string {
  if (!drifted) return mix(CALM, score);
  return mix(DRIFT, (Math.max(1, score) - 1) / Math.max(1e-9, maxScore - 1));
}

function rowLabels(f: Frame, rows: string[]): string[] {
  return rows.map(
    (r, i) =>
      `<text class="tick" x="${f.left - 6}" y="${px(f.top + i * ROW_HEIGHT + ROW_HEIGHT / 2)}" dy="4"` +
      ` text-anchor="end">${escapeHtml(r)}</text>`,
  );
}

function cellMark(c: HeatmapCell, f: Frame, x: Scale, maxScore: number): string {
  const x0 = x(c.startMs);
  // One pixel of gap between neighbours keeps the grid readable; never narrower than one pixel.
  const w = Math.max(1, x(c.endMs) - x0 - 1);
  const y = f.top + c.row * ROW_HEIGHT + 1;
  const outline = c.drifted ? ' stroke="#67000d" stroke-width="0.5"' : '';
  return (
    `<rect class="mark cell" x="${px(x0)}" y="${px(y)}" width="${px(w)}" height="${ROW_HEIGHT - 2}"` +
    ` fill="${heatColor(c.score, c.drifted, maxScore)}"${outline}><title>${escapeHtml(c.label)}</title></rect>`
  );
}

/** Features × windows, one rectangle per computed test, placed on a time axis (gaps stay blank). Pure. */
export function heatmapChart(spec: HeatmapSpec): string {
  const width = spec.width ?? 1136;
  const cells = spec.cells.filter((c) => c.row >= 0 && c.row < spec.rows.length && c.endMs > c.startMs);
  if (cells.length === 0) return emptyChart('heatmap', spec.title, width, 'no drift results in this range');
  const longest = Math.max(...spec.rows.map((r) => r.length));
  const left = Math.min(220, 16 + longest * 6.6);
  const f = frame(width, 50 + spec.rows.length * ROW_HEIGHT + 34, { left });
  const x = linearScale(spec.xDomain, [f.left, f.right]);
  const maxScore = spec.maxScore ?? 3;
  return svgRoot('heatmap', spec.title, f, [
    ...timeAxis(f, x, spec.xDomain[0], spec.xDomain[1]),
    ...rowLabels(f, spec.rows),
    ...cells.map((c) => cellMark(c, f, x, maxScore)),
    ...legend(f, [
      { label: 'no change', color: heatColor(0, false, maxScore) },
      { label: 'near threshold', color: heatColor(0.9, false, maxScore) },
      { label: 'drifted', color: heatColor(1, true, maxScore) },
      { label: `${maxScore}x past`, color: heatColor(maxScore, true, maxScore) },
    ]),
  ]);
}
