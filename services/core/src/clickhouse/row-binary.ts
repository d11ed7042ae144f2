import { DriftlineError } from '../errors.ts';
import type { Columns, ColumnType } from '../tables/columns.ts';

/**
 * ClickHouse's RowBinary input format, for the column types of core/tables: each row's values in the table
 * module's column order, little-endian, strings and arrays prefixed by a LEB128 length, Nullable by a null byte.
 * The cheapest input for the server to read (no text to parse, no names to match) and for us to build (no
 * JSON.stringify of whole rows, no number-to-text): the sink's inserts use it (the writer's insertRowBinary).
 * Every value is exact: strings as UTF-8 bytes, floats as IEEE doubles (NaN and infinities included), 64-bit
 * integers from a number or a decimal string, DateTime as epoch seconds (UTC by construction).
 */

/** A value that does not fit its column: a bug in a row builder, never worth a retry. */
export class RowEncodeError extends DriftlineError {
  constructor(column: string, message: string) {
    super(`RowBinary: column ${column}: ${message}`, { retriable: false });
  }
}

const TWO_32 = 2 ** 32;

/** A growing buffer the values are written into. */
class Sink {
  buf: Buffer;
  at = 0;

  constructor(bytes: number) {
    this.buf = Buffer.allocUnsafe(bytes);
  }

  reserve(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + bytes));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buf[this.at++] = value;
  }

  /** An unsigned LEB128 length (string bytes, array elements). */
  varint(value: number): void {
    this.reserve(5);
    while (value >= 0x80) {
      this.buf[this.at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[this.at++] = value;
  }

  string(value: string): void {
    const length = value.length;
    // Fewer than 43 UTF-16 units are fewer than 128 UTF-8 bytes: a one-byte length, then ASCII copied by hand
    // (a native write per short name costs more than the loop), anything else written by Buffer.
    if (length < 43) {
      this.reserve(1 + 3 * length);
      const buf = this.buf;
      const start = this.at + 1;
      let i = 0;
      for (; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      const bytes = i === length ? length : i + buf.write(value.slice(i), start + i, 'utf8');
      buf[this.at] = bytes;
      this.at = start + bytes;
      return;
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint(bytes);
    this.reserve(bytes);
    this.at += this.buf.write(value, this.at, 'utf8');
  }

  float64(value: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(value, this.at);
    this.at += 8;
  }

  /** A 64-bit integer as two 32-bit halves; `high` may be negative (Int64). */
  halves(low: number, high: number): void {
    this.reserve(8);
    this.buf.writeUInt32LE(low, this.at);
    this.buf.writeInt32LE(high, this.at + 4);
    this.at += 8;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(value, this.at);
    this.at += 4;
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

type Write = (sink: Sink, value: unknown, column: string) => void;

const fail = (column: string, value: unknown, type: string): never => {
  throw new RowEncodeError(column, `${JSON.stringify(value) ?? String(value)} is not a ${type}`);
};

const integer = (value: unknown, column: string, type: string, min: number, max: number): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    fail(column, value, type);
  return value as number;
};

/** A 64-bit integer from a safe integer or a decimal string (a Kafka offset), exact either way. */
function int64(signed: boolean): Write {
  const type = signed ? 'Int64' : 'UInt64';
  const [min, max] = signed ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
  return (sink, value, column) => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && (signed || value >= 0)) {
      const high = Math.floor(value / TWO_32);
      sink.halves(value - high * TWO_32, high);
      return;
    }
    let big: bigint | undefined;
    if (typeof value === 'string' && /^-?\d+$/.test(value)) big = BigInt(value);
    else if (typeof value === 'bigint') big = value;
    if (big === undefined || big < min || big > max) return fail(column, value, type);
    const bits = BigInt.asUintN(64, big);
    sink.halves(Number(bits & 0xffffffffn), Number(BigInt.asIntN(32, bits >> 32n)));
  };
}

const WRITE_SCALAR: Record<string, Write> = {
  String: (sink, value, column) => {
    if (typeof value !== 'string') fail(column, value, 'String');
    sink.string(value as string);
  },
  UInt8: (sink, value, column) => sink.byte(integer(value, column, 'UInt8', 0, 0xff)),
  UInt32: (sink, value, column) => sink.uint32(integer(value, column, 'UInt32', 0, 0xffffffff)),
  DateTime: (sink, value, column) => sink.uint32(integer(value, column, 'DateTime', 0, 0xffffffff)),
  UInt64: int64(false),
  Int64: int64(true),
  Float64: (sink, value, column) => {
    if (typeof value !== 'number') fail(column, value, 'Float64');
    sink.float64(value as number);
  },
};

/** The writer of one column type of core/tables: Nullable(T) wraps T's; arrays of strings or of floats. */
function writerOf(type: string): Write {
  const nullable = /^Nullable\((.+)\)$/.exec(type);
  if (nullable) {
    const inner = writerOf(nullable[1]!);
    return (sink, value, column) => {
      if (value === null || value === undefined) return sink.byte(1);
      sink.byte(0);
      inner(sink, value, column);
    };
  }
  const array = /^Array\((.+)\)$/.exec(type);
  if (array) {
    // The two array types of core/tables, each element written in place (no call through an element writer).
    if (array[1] === 'Float64')
      return (sink, value, column) => {
        if (!Array.isArray(value)) return fail(column, value, type);
        const length = value.length;
        sink.varint(length);
        sink.reserve(8 * length);
        const buf = sink.buf;
        let at = sink.at;
        for (let i = 0; i < length; i++) {
          const element: unknown = value[i];
          if (typeof element !== 'number') fail(column, element, 'Float64');
          buf.writeDoubleLE(element as number, at);
          at += 8;
        }
        sink.at = at;
      };
    if (array[1] === 'String')
      return (sink, value, column) => {
        if (!Array.isArray(value)) return fail(column, value, type);
        sink.varint(value.length);
        for (const element of value as unknown[]) {
          if (typeof element !== 'string') fail(column, element, 'String');
          sink.string(element as string);
        }
      };
  }
  const scalar = WRITE_SCALAR[type];
  if (!scalar) throw new DriftlineError(`RowBinary: no encoding for the column type ${type}`);
  return scalar;
}

/**
 * Rows encoded as they are added: the row objects die young (a batch of a few thousand held until the insert
 * outlived the young generation and cost the collector more than building them), only the bytes are kept.
 */
export class RowBinaryBatch<R extends object = object> {
  /** Rows added so far. */
  count = 0;

  constructor(
    private readonly sink: Sink,
    private readonly writeRow: (sink: Sink, row: object) => void,
    private readonly learn: (bytes: number) => void,
  ) {}

  /** @throws RowEncodeError (not retriable) on a value that does not fit its column; the batch is then unusable. */
  add(row: R): void {
    this.writeRow(this.sink, row);
    this.count++;
  }

  /** The RowBinary body of every row added, in order. */
  bytes(): Buffer {
    this.learn(this.sink.at);
    return this.sink.bytes();
  }
}

/** Encodes rows of a table's columns (every column present; a missing one fails like a wrong type). */
export interface RowBinaryEncoder<R extends object> {
  (rows: readonly R[]): Buffer;
  /** An empty batch to add rows to one at a time. */
  batch(): RowBinaryBatch<R>;
}

/**
 * The encoder of `columns` (a core/tables declaration): rows in, the RowBinary body of
 * `INSERT INTO t (<columns in this order>) FORMAT RowBinary` out.
 * @throws RowEncodeError (not retriable) on a value that does not fit its column.
 */
export function rowBinaryEncoder<R extends object>(columns: Columns): RowBinaryEncoder<R> {
  const names = Object.keys(columns);
  const writers = names.map((name) => writerOf(columns[name] as ColumnType));
  const count = names.length;
  const writeRow = (sink: Sink, row: object) => {
    const record = row as Record<string, unknown>;
    for (let c = 0; c < count; c++) writers[c]!(sink, record[names[c]!], names[c]!);
  };
  // The next batch starts at the size of the last, so a steady stream allocates about once per insert.
  let lastBytes = 64 << 10;
  const learn = (bytes: number) => {
    lastBytes = Math.max(4096, Math.ceil(bytes * 1.1));
  };
  const batch = () => new RowBinaryBatch<R>(new Sink(lastBytes), writeRow, learn);
  const encode = (rows: readonly R[]) => {
    const b = batch();
    for (const row of rows) b.add(row);
    return b.bytes();
  };
  return Object.assign(encode, { batch });
}
