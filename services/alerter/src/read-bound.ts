import { sqlString } from '../../core/src/clickhouse/sql-string.ts';

/** Which closed windows a round reads (loop.ts `since`). */
export interface ReadBound {
  /** Windows of known series ending after this. */
  sinceMs: number;
  /** Windows of series not in `known` ending after this (the look-back). */
  newSeriesSinceMs: number;
  /** [model_id, model_version] of every series evaluated before. */
  known: [string, string][];
}

/**
 * The WHERE condition for a bound, given the SQL expression of a row's window end in epoch milliseconds.
 * @param shiftMs - moves both bounds back (detections are read a little earlier than their windows)
 */
export function boundCondition(b: ReadBound, endMs: string, shiftMs = 0): string {
  const after = (ms: number) => `${endMs} > ${Math.max(0, Math.floor(ms - shiftMs))}`;
  if (b.known.length === 0 || b.newSeriesSinceMs >= b.sinceMs) return after(b.sinceMs);
  const list = b.known.map(([m, v]) => `(${sqlString(m)}, ${sqlString(v)})`).join(', ');
  return `(${after(b.sinceMs)} OR ((model_id, model_version) NOT IN (${list}) AND ${after(b.newSeriesSinceMs)}))`;
}
