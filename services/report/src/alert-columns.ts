/**
 * The alerts table is written by the alerter, which is still being built: the report adapts its SELECT to the
 * columns that exist (as listed by system.columns) instead of failing on a name or type it did not expect.
 * Times may be DateTime (seconds) or integer epoch milliseconds (`timestamp-millis` on Kafka).
 */

export interface ColumnInfo {
  name: string;
  type: string;
}

export type AlertSelect =
  { ok: true; columns: string; start: string; end: string } | { ok: false; problem: string };

type Kind = 'text' | 'number' | 'time';

/** Output alias → candidate column names, first match wins. */
const FIELDS: [alias: string, kind: Kind, candidates: string[]][] = [
  ['alert_id', 'text', ['alert_id', 'id']],
  ['model_version', 'text', ['model_version', 'version']],
  ['kind', 'text', ['kind']],
  ['severity', 'text', ['severity']],
  ['status', 'text', ['status']],
  ['metric', 'text', ['metric']],
  ['message', 'text', ['message']],
  ['value', 'number', ['value']],
  ['threshold', 'number', ['threshold']],
  ['window_start_ms', 'time', ['window_start_ms', 'window_start']],
  ['window_end_ms', 'time', ['window_end_ms', 'window_end']],
  ['at_ms', 'time', ['created_at_ms', 'created_at', 'published_at', 'emitted_at', 'triggered_at']],
];

const DEFAULTS: Record<Kind, string> = { text: "''", number: 'CAST(NULL AS Nullable(Float64))', time: '0' };

/** `Nullable(LowCardinality(String))` → `String`. */
export function baseType(type: string): string {
  const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(type);
  return m ? baseType(m[1]!) : type;
}

/** Epoch milliseconds from a time column, or null for a type that is not a time. */
export function timeExpression(column: ColumnInfo): string | null {
  const type = baseType(column.type);
  const nullable = column.type.includes('Nullable(');
  let ms: string | null = null;
  if (/^DateTime64/.test(type)) ms = `toUInt64(toUnixTimestamp64Milli(${column.name}))`;
  else if (/^DateTime/.test(type)) ms = `toUInt64(toUnixTimestamp(${column.name})) * 1000`;
  else if (/^U?Int(32|64)$/.test(type)) ms = `toUInt64(${column.name})`;
  if (ms === null) return null;
  return nullable ? `ifNull(${ms}, 0)` : ms;
}

function fieldExpression(kind: Kind, column: ColumnInfo): string | null {
  if (kind === 'time') return timeExpression(column);
  if (kind === 'number') return `toFloat64(${column.name})`;
  return `toString(${column.name})`;
}

/**
 * The SELECT list and the window-bound expressions for the alerts table. Pure.
 * @returns a problem instead when the table cannot be filtered by model or time
 */
export function alertSelect(columns: ColumnInfo[]): AlertSelect {
  const byName = new Map(columns.map((c) => [c.name, c]));
  if (!byName.has('model_id')) return { ok: false, problem: 'it has no model_id column' };
  const expressions = new Map<string, string>();
  for (const [alias, kind, candidates] of FIELDS) {
    const found = candidates.map((n) => byName.get(n)).find((c) => c !== undefined);
    const expression = found ? fieldExpression(kind, found) : null;
    if (expression !== null) expressions.set(alias, expression);
  }
  const start = expressions.get('window_start_ms');
  const end = expressions.get('window_end_ms') ?? start;
  if (start === undefined || end === undefined)
    return { ok: false, problem: 'it has no window_start column' };
  expressions.set('window_end_ms', end);
  // An alert without its own creation time is placed at the end of the window that raised it.
  const at = expressions.get('at_ms');
  expressions.set('at_ms', at === undefined ? end : `if(${at} = 0, ${end}, ${at})`);
  const list = FIELDS.map(([alias, kind]) => `${expressions.get(alias) ?? DEFAULTS[kind]} AS ${alias}`);
  return { ok: true, columns: list.join(', '), start, end };
}
