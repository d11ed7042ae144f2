/** Scales and ticks for the SVG charts: pure arithmetic, unit-tested without a browser. */

export type Scale = (value: number) => number;

/**
 * Maps [d0, d1] linearly onto [r0, r1]. An empty domain (d0 = d1) maps to the middle of the range, so a single
 * point or a constant series still lands inside the plot.
 */
export function linearScale([d0, d1]: [number, number], [r0, r1]: [number, number]): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/** Two decimals are plenty for pixels and keep the SVG small. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * Round tick values (steps of 1, 2 or 5 × 10^k) covering [min, max] with about `count` ticks; the domain is
 * widened to the outer ticks. Equal bounds are widened first so that the axis still has a span.
 */
export function niceTicks(
  min: number,
  max: number,
  count = 5,
): { domain: [number, number]; ticks: number[] } {
  let lo = min;
  let hi = max;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { domain: [0, 1], ticks: [0, 0.5, 1] };
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.05;
    lo -= pad;
    hi += pad;
  }
  const raw = (hi - lo) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const first = Math.floor(lo / step) * step;
  const last = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // Rounding to the step's decimals keeps 0.30000000000000004 out of the labels.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  for (let t = first; t <= last + step / 2; t += step) ticks.push(Number(t.toFixed(decimals)));
  return { domain: [ticks[0]!, ticks.at(-1)!], ticks };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  30 * DAY,
];

/** Tick instants on whole UTC minutes, hours or days inside [fromMs, toMs], at most `max` of them. */
export function timeTicks(fromMs: number, toMs: number, max = 8): { ticks: number[]; stepMs: number } {
  const span = Math.max(0, toMs - fromMs);
  const stepMs = TIME_STEPS.find((s) => span / s <= max) ?? Math.ceil(span / max / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / stepMs) * stepMs; t <= toMs; t += stepMs) ticks.push(t);
  return { ticks, stepMs };
}

/** A tick label that shows what changes at that step: the time of day below a day, the date above. */
export function timeTickLabel(ms: number, stepMs: number): string {
  const iso = new Date(ms).toISOString();
  if (stepMs >= DAY) return iso.slice(5, 10);
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}
