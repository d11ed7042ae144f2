import type { Verdict } from './lifecycle.ts';

/**
 * Grades a "badness" (larger is worse: a drop in %, a share, a rate, a latency) against its warning and
 * critical thresholds. Clear only once it is back below `warning × (1 − hysteresis)`: between the two it is
 * `ok`, which neither opens nor resolves an alert, so a value hovering at the threshold does not flap.
 * @example grade(1.9, 2, 5, 0.2) // {level: 'ok'}: below the warning, not yet below 1.6
 */
export function grade(badness: number, warning: number, critical: number, hysteresis: number): Verdict {
  if (badness >= critical) return { level: 'breach', severity: 'CRITICAL' };
  if (badness >= warning) return { level: 'breach', severity: 'WARNING' };
  return badness < warning * (1 - hysteresis) ? { level: 'clear' } : { level: 'ok' };
}

/**
 * Grades a figure against absolute objectives in the figure's own direction (`better` = +1 when larger is
 * better). The hysteresis band is a share of the distance between the two thresholds (objectives can be
 * any sign, so a share of the threshold itself would mean nothing).
 */
export function gradeObjective(
  value: number,
  warning: number,
  critical: number,
  better: 1 | -1,
  hysteresis: number,
): Verdict {
  if ((value - critical) * better <= 0) return { level: 'breach', severity: 'CRITICAL' };
  if ((value - warning) * better <= 0) return { level: 'breach', severity: 'WARNING' };
  const band = hysteresis * Math.abs(warning - critical);
  return (value - warning) * better > band ? { level: 'clear' } : { level: 'ok' };
}
