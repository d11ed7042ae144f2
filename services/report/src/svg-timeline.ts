import { escapeHtml } from './format.ts';
import { emptyChart, frame, legend, svgRoot, timeAxis, type Frame } from './svg-frame.ts';
import { linearScale, px, type Scale } from './svg-scale.ts';

export interface TimelineItem {
  lane: number;
  /** The window the event is about: drawn as a bar. */
  startMs: number;
  endMs: number;
  /** When it happened: drawn as a dot. */
  atMs: number;
  color: string;
  /** Drawn lighter (a RESOLVED event, say). */
  faded?: boolean;
  label: string;
}

export interface TimelineSpec {
  title: string;
  lanes: string[];
  items: TimelineItem[];
  xDomain: [number, number];
  legend?: { label: string; color: string }[];
  /** @default 1136 (the page's full width) */
  width?: number;
}

const LANE_HEIGHT = 26;
const MIN_BAR = 4;

function lanes(f: Frame, names: string[]): string[] {
  return names.flatMap((name, i) => {
    const mid = px(f.top + i * LANE_HEIGHT + LANE_HEIGHT / 2);
    return [
      `<line class="grid" x1="${f.left}" y1="${mid}" x2="${f.right}" y2="${mid}"/>`,
      `<text class="tick" x="${f.left - 6}" y="${mid}" dy="4" text-anchor="end">${escapeHtml(name)}</text>`,
    ];
  });
}

function itemMarks(item: TimelineItem, f: Frame, x: Scale): string[] {
  const clamp = (v: number) => Math.min(f.right, Math.max(f.left, v));
  const x0 = clamp(x(item.startMs));
  const x1 = Math.max(x0 + MIN_BAR, clamp(x(item.endMs)));
  const mid = f.top + item.lane * LANE_HEIGHT + LANE_HEIGHT / 2;
  const opacity = item.faded ? '0.35' : '0.8';
  const tip = `<title>${escapeHtml(item.label)}</title>`;
  return [
    `<rect class="mark bar" x="${px(x0)}" y="${px(mid - 5)}" width="${px(x1 - x0)}" height="10" rx="2"` +
      ` fill="${item.color}" fill-opacity="${opacity}">${tip}</rect>`,
    `<circle class="mark event" cx="${px(clamp(x(item.atMs)))}" cy="${px(mid)}" r="5" fill="${item.color}"` +
      ` stroke="#fff" stroke-width="1.5"${item.faded ? ' fill-opacity="0.5"' : ''}>${tip}</circle>`,
  ];
}

/** Events on lanes over time: a bar for the window each is about and a dot when it happened. Pure. */
export function timelineChart(spec: TimelineSpec): string {
  const width = spec.width ?? 1136;
  const items = spec.items.filter((i) => i.lane >= 0 && i.lane < spec.lanes.length);
  if (items.length === 0) return emptyChart('timeline', spec.title, width, 'no alerts in this range');
  const longest = Math.max(...spec.lanes.map((l) => l.length));
  const left = Math.min(220, 16 + longest * 6.6);
  const f = frame(width, 50 + spec.lanes.length * LANE_HEIGHT + 34, { left });
  const x = linearScale(spec.xDomain, [f.left, f.right]);
  return svgRoot('timeline', spec.title, f, [
    ...timeAxis(f, x, spec.xDomain[0], spec.xDomain[1]),
    ...lanes(f, spec.lanes),
    ...items.flatMap((i) => itemMarks(i, f, x)),
    ...legend(f, spec.legend ?? []),
  ]);
}
