import { sqlString } from '../../core/src/clickhouse/sql-string.ts';
import { ToolInputError } from './errors.ts';

/**
 * SQL fragments from validated arguments. Strings only ever enter SQL through the core's quoting function,
 * numbers only as finite literals; identifiers (the database) come from configuration, checked at start-up.
 */
export const quote = sqlString;

/** A finite number as a SQL literal. @throws ToolInputError for NaN or infinities (zod lets none through). */
export function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) throw new ToolInputError(`not a finite number: ${value}`);
  return String(value);
}

/** `column IN ('a', 'b')`, each value quoted; `1` (no filter) for an empty list. */
export function inList(column: string, values: readonly string[]): string {
  return values.length === 0 ? '1' : `${column} IN (${values.map(quote).join(', ')})`;
}

/** `AND column = 'value'` when the value is given, else nothing. */
export function andEquals(column: string, value: string | undefined): string {
  return value === undefined ? '' : `AND ${column} = ${quote(value)}`;
}

/** `AND column >= from AND column < to` on an epoch-milliseconds column. */
export function andRangeMs(column: string, range: { fromMs: number; toMs: number }): string {
  return `AND ${column} >= ${numberLiteral(range.fromMs)} AND ${column} < ${numberLiteral(range.toMs)}`;
}

/** The same on a DateTime column (seconds), for tables whose windows carry no millisecond column. */
export function andRangeSeconds(column: string, range: { fromMs: number; toMs: number }): string {
  const from = Math.floor(range.fromMs / 1000);
  const to = Math.ceil(range.toMs / 1000);
  return `AND ${column} >= toDateTime(${from}) AND ${column} < toDateTime(${to})`;
}

/** Numbers from JSONEachRow (UInt64 arrives as a string); null stays null. */
export function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** ISO-8601 of an epoch-milliseconds value from a row. */
export function iso(ms: unknown): string {
  return new Date(Number(ms)).toISOString();
}

/** A JSON column parsed, or the raw text when it is not JSON (never throws on stored data). */
export function parseJsonColumn(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
