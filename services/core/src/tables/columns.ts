/**
 * A table's columns as written in its migrations, and the TypeScript shapes of its rows derived from them: one
 * declaration per table, so a writer, its readers and the migration test (test/unit/core/tables.test.ts)
 * cannot disagree on a column's name or type.
 */

/** The ClickHouse column types of the tables declared here (as spelled in infra/clickhouse/migrations). */
export type ColumnType =
  | 'String'
  | 'UInt8'
  | 'UInt32'
  | 'UInt64'
  | 'Int64'
  | 'Float64'
  | 'DateTime'
  | 'Nullable(String)'
  | 'Nullable(Float64)'
  | 'Array(String)'
  | 'Array(Float64)';

/** Column name to type, in the table's order. */
export type Columns = Readonly<Record<string, ColumnType>>;

/** A value as the services insert it (JSONEachRow): plain numbers, DateTime as epoch seconds. */
type Written<T> = T extends `Nullable(${infer I})`
  ? Written<I> | null
  : T extends `Array(${infer I})`
    ? Written<I>[]
    : T extends 'String'
      ? string
      : number;

/**
 * A value as @clickhouse/client returns it in JSONEachRow with the server's default settings: 64-bit integers
 * quoted (output_format_json_quote_64bit_integers = 1), DateTime as 'YYYY-MM-DD hh:mm:ss' in the server's zone.
 */
type Read<T> = T extends `Nullable(${infer I})`
  ? Read<I> | null
  : T extends `Array(${infer I})`
    ? Read<I>[]
    : T extends 'String' | 'UInt64' | 'Int64' | 'DateTime'
      ? string
      : number;

/** A row as written: every column. */
export type WrittenRow<C extends Columns> = { -readonly [K in keyof C]: Written<C[K]> };

/** A row as read back with `SELECT *` (select a subset with Pick). */
export type ReadRow<C extends Columns> = { -readonly [K in keyof C]: Read<C[K]> };

/**
 * A value as the lenient readers take it: floats are numbers either way, every integer and DateTime column a
 * number or a string (they pass each through Number(), whatever the server and its settings quote), so the same
 * pure function takes rows read back and rows about to be written (benchmarks, tests).
 */
type Lenient<T> = T extends `Nullable(${infer I})`
  ? Lenient<I> | null
  : T extends `Array(${infer I})`
    ? Lenient<I>[]
    : T extends 'String'
      ? string
      : T extends 'Float64'
        ? number
        : number | string;

/** A row either way: written, or read back with integers quoted or not (select a subset with Pick). */
export type AnyRow<C extends Columns> = { -readonly [K in keyof C]: Lenient<C[K]> };
