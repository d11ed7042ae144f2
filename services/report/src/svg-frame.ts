import { escapeHtml } from './format.ts';
import { px, timeTickLabel, timeTicks, type Scale } from './svg-scale.ts';

/** The plot area inside a chart: margins leave room for axes, labels and the legend. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function frame(width: number, height: number, margin: Partial<Frame> = {}): Frame {
  const left = margin.left ?? 56;
  // Title on the first row, legend on the second: long titles never run into the legend.
  const top = margin.top ?? 50;
  return {
    width,
    height,
    left,
    top,
    // Room for half a time label right of the last tick.
    right: width - (margin.right ?? 36),
    bottom: height - (margin.bottom ?? 34),
  };
}

/**
 * The root element. `data-chart` names the kind for tests and `class="mark"` tags the data marks, so a
 * browser test can check that every chart drew something with real geometry.
 */
export function svgRoot(kind: string, title: string, f: Frame, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${kind}" role="img"`,
    ` viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}"`,
    ` aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<text class="chart-title" x="${f.left}" y="18">${escapeHtml(title)}</text>`,
    ...body,
    '</svg>',
  ].join('');
}

/** A chart with nothing to draw says so instead of showing empty axes. */
export function emptyChart(kind: string, title: string, width: number, message: string): string {
  const f = frame(width, 90);
  return svgRoot(kind, title, f, [
    `<text class="empty" x="${px(width / 2)}" y="58" text-anchor="middle">${escapeHtml(message)}</text>`,
  ]).replace('<svg ', '<svg data-empty="true" ');
}

/** Pixels per time label ('03-01 12:00' at 11 px, with air): fewer ticks on narrow charts. */
const TICK_SPACING = 95;

/** Time axis along the bottom of the frame with grid lines up to the top. */
export function timeAxis(f: Frame, x: Scale, fromMs: number, toMs: number): string[] {
  const maxTicks = Math.max(2, Math.floor((f.right - f.left) / TICK_SPACING));
  const { ticks, stepMs } = timeTicks(fromMs, toMs, maxTicks);
  const out = [`<line class="axis" x1="${f.left}" y1="${f.bottom}" x2="${f.right}" y2="${f.bottom}"/>`];
  for (const t of ticks) {
    const at = px(x(t));
    out.push(
      `<line class="grid" x1="${at}" y1="${f.top}" x2="${at}" y2="${f.bottom}"/>`,
      `<text class="tick" x="${at}" y="${f.bottom + 16}" text-anchor="middle">${timeTickLabel(t, stepMs)}</text>`,
    );
  }
  return out;
}

/** Colour swatches with names, in one row between the title and the plot, left-aligned with the plot. */
export function legend(f: Frame, entries: { label: string; color: string }[]): string[] {
  const out: string[] = [];
  let x = f.left;
  for (const e of entries) {
    out.push(
      `<rect class="swatch" x="${px(x)}" y="27" width="11" height="11" rx="2" fill="${e.color}"/>`,
      `<text class="legend" x="${px(x + 15)}" y="37">${escapeHtml(e.label)}</text>`,
    );
    x += 28 + e.label.length * 7;
  }
  return out;
}
