import type avro from 'avsc';

/**
 * A decoder of Avro bodies written with exactly the reader's schema, built once per schema from avsc's type
 * tree. avsc reads through one generic `_read` per type node, a native `utf8Slice` per string, and builds
 * every map by adding its keys one at a time to an empty object; an inference event of twenty features took
 * 4.7 µs to decode, in each of the four services that read the topic. This reader gives the same values (the
 * parity tests compare both on random values of every schema we use, and on truncated and corrupted bodies)
 * with readers specialised per node, short ASCII strings built in JavaScript, and maps built by a function
 * compiled for their key sequence: a model sends the same feature names in the same order in every event, so
 * a map whose keys repeat the bytes of a sequence seen before reuses that sequence's strings and object
 * literal (`npx tsx bench/avro-decode.ts`).
 *
 * Only what our schemas use is compiled: records, maps, arrays, unwrapped unions, null, boolean, int, long,
 * float, double and string. For any other schema `compileAvroReader` returns undefined and the caller keeps
 * avsc, as it does for every writer schema that differs from the reader's (avsc resolves those).
 */
export type AvroReader = (body: Buffer) => unknown;

/**
 * What a plain value stays within: no string (or map key) longer than `maxStringBytes` bytes, no map or array
 * of more than `maxItems` entries.
 */
export interface PlainBounds {
  maxStringBytes: number;
  maxItems: number;
}

/**
 * Whether the last value read was plain: every string and map key ASCII (so it holds no U+FFFD, the mark of
 * invalid UTF-8, and has as many characters as bytes) and within its reader's PlainBounds. The reader notes it
 * as it reads, at no cost to speak of; a caller whose limits these bounds imply may skip walking the value to
 * check them (record-codec.ts skips checkSizeLimits, which cost as much as the decode itself). Valid until the
 * next read.
 */
export function lastValueWasPlain(): boolean {
  return plain;
}

/** Bytes that are not a value of the schema: what avsc's fromBuffer refuses. */
export class AvroBodyError extends Error {}

type NodeReader = () => unknown;
type ObjectBuilder = (values: unknown[]) => Record<string, unknown>;

// The cursor of the value being read. A read is synchronous, so one cursor serves every reader.
let buf: Buffer = Buffer.alloc(0);
/** A view of `buf` for its floating-point numbers, made at the first one (a label body may have none). */
let view: DataView | undefined;
let pos = 0;
let end = 0;
/** Whether the value read so far is plain (see `lastValueWasPlain`), and the bounds of the reader reading it. */
let plain = true;
let bounds: PlainBounds = { maxStringBytes: Infinity, maxItems: Infinity };

const truncated = () => new AvroBodyError('truncated buffer');

/** Avro's zig-zag varint, as avsc reads it: exact up to 2^53, then in floating point. */
function readLong(): number {
  let n = 0;
  let shift = 0;
  let b: number;
  do {
    if (pos >= end) throw truncated();
    b = buf[pos++]!;
    n |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80 && shift < 28);
  if (!(b & 0x80)) return (n >>> 1) ^ -(n & 1);
  // Past 28 bits the value no longer fits an int32: continue in floating point.
  let f = n >>> 0;
  let scale = 268435456; // 2 ** 28
  do {
    if (pos >= end) throw truncated();
    b = buf[pos++]!;
    f += (b & 0x7f) * scale;
    scale *= 128;
  } while (b & 0x80);
  return (f % 2 ? -(f + 1) : f) / 2;
}

/** A long as avsc gives it: refused where a double cannot hold it exactly. */
function readSafeLong(): number {
  const n = readLong();
  if (!(n >= -9007199254740990 && n <= 9007199254740990)) throw new AvroBodyError('potential precision loss');
  return n;
}

function readBoolean(): boolean {
  if (pos >= end) throw truncated();
  return buf[pos++] !== 0;
}

function readDouble(): number {
  if (pos + 8 > end) throw truncated();
  const x = (view ??= new DataView(buf.buffer, buf.byteOffset, buf.length)).getFloat64(pos, true);
  pos += 8;
  return x;
}

function readFloat(): number {
  if (pos + 4 > end) throw truncated();
  const x = (view ??= new DataView(buf.buffer, buf.byteOffset, buf.length)).getFloat32(pos, true);
  pos += 4;
  return x;
}

/** Up to this many bytes an ASCII string is built in JavaScript, cheaper than a call into native code. */
const SHORT_STRING = 24;

/** The bytes [start, stop) as UTF-8 text (invalid sequences become U+FFFD, as avsc and Node decode them). */
function text(start: number, stop: number): string {
  if (stop - start > bounds.maxStringBytes) plain = false;
  if (stop - start > SHORT_STRING) {
    if (plain && !isAscii(start, stop)) plain = false;
    return buf.toString('utf8', start, stop);
  }
  let s = '';
  for (let i = start; i < stop; i++) {
    const c = buf[i]!;
    if (c > 0x7f) {
      plain = false;
      return buf.toString('utf8', start, stop);
    }
    s += String.fromCharCode(c);
  }
  return s;
}

function isAscii(start: number, stop: number): boolean {
  for (let i = start; i < stop; i++) if (buf[i]! > 0x7f) return false;
  return true;
}

/** Reads a string's length and checks the body holds it; the cursor is left on its first byte. */
function stringLength(): number {
  const len = readLong();
  if (len < 0 || pos + len > end) throw truncated();
  return len;
}

function readString(): string {
  const len = stringLength();
  const start = pos;
  pos += len;
  return text(start, pos);
}

/** A block count: negative when the block's size in bytes follows, which a reader does not need. */
function readBlockCount(minItemBytes: number): number {
  let n = readLong();
  if (n < 0) {
    n = -n;
    readLong();
  }
  // Every item takes at least minItemBytes: a count the rest of the body cannot hold is corrupt (avsc would
  // loop over it, or allocate an array of that length).
  if (n * minItemBytes > end - pos) throw truncated();
  return n;
}

/** The least number of bytes a value of the type takes: one for every type compiled here but null. */
const minBytes = (type: avro.Type) => (type.typeName === 'null' ? 0 : 1);

/**
 * `new Function` is the one way to get an object literal of names known only at run time, and an object built
 * from a literal is created in one step with its final shape (records and maps alike). Names go in as JSON
 * string literals, which are valid JavaScript string literals whatever their text, so no name is ever read as
 * code; a map key `__proto__` (which a literal would take as the prototype) is never compiled, and a record's
 * field names are Avro names.
 */
function compileBuilder(names: readonly string[]): ObjectBuilder {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as ObjectBuilder;
}

/** Builds an object by adding `names` one at a time: for names that are not compiled. */
function assemble(
  names: readonly string[],
  values: readonly unknown[],
  count: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) out[names[i]!] = values[i];
  return out;
}

function compileNode(type: avro.Type): NodeReader | undefined {
  const t = type as avro.Type & Record<string, unknown>;
  switch (type.typeName) {
    case 'null':
      return () => null;
    case 'boolean':
      return readBoolean;
    case 'int':
      return readLong;
    case 'long':
      return readSafeLong;
    case 'float':
      return readFloat;
    case 'double':
      return readDouble;
    case 'string':
      return readString;
    case 'record':
      return compileRecord(t.fields as { name: string; type: avro.Type }[]);
    case 'map':
      return compileMap(t.valuesType as avro.Type);
    case 'array':
      return compileArray(t.itemsType as avro.Type);
    case 'union:unwrapped':
      return compileUnion(t.types as avro.Type[]);
    default:
      return undefined;
  }
}

/** `skip`: fields read past (checked as a reader checks them, and noted in `plain`) but left out of the record. */
function compileRecord(
  fields: readonly { name: string; type: avro.Type }[],
  skip: readonly string[] = [],
): NodeReader | undefined {
  const readers = fields.map((f) => (skip.includes(f.name) ? compileSkipper(f.type) : compileNode(f.type)));
  if (readers.some((r) => r === undefined)) return undefined;
  const read = readers as NodeReader[];
  // Each field is read into a local in the order of the body; the object literal then names the kept ones.
  const steps = fields.map((_, i) => `const v${i} = r[${i}]();`).join(' ');
  const kept = fields.flatMap((f, i) => (skip.includes(f.name) ? [] : [`${JSON.stringify(f.name)}: v${i}`]));
  const build = new Function('r', `${steps} return { ${kept.join(', ')} };`) as (
    r: NodeReader[],
  ) => Record<string, unknown>;
  return () => build(read);
}

/** Moves past a string, noting whether it is plain, without making it. */
function skipString(): void {
  const len = stringLength();
  if (len > bounds.maxStringBytes || (plain && !isAscii(pos, pos + len))) plain = false;
  pos += len;
}

function skipBytes(n: number): () => void {
  return () => {
    if (pos + n > end) throw truncated();
    pos += n;
  };
}

/**
 * A reader that moves past a value of `type` and returns nothing: it refuses what compileNode's reader refuses
 * and notes what that reader notes in `plain`, so a projection passes the same verdict on a body as a full read.
 */
function compileSkipper(type: avro.Type): NodeReader | undefined {
  const t = type as avro.Type & Record<string, unknown>;
  switch (type.typeName) {
    case 'null':
      return () => undefined;
    case 'boolean':
      return skipBytes(1);
    case 'int':
      return readLong;
    case 'long':
      return readSafeLong;
    case 'float':
      return skipBytes(4);
    case 'double':
      return skipBytes(8);
    case 'string':
      return skipString;
    case 'record': {
      const fields = (t.fields as { type: avro.Type }[]).map((f) => compileSkipper(f.type));
      if (fields.some((f) => f === undefined)) return undefined;
      return () => {
        for (const f of fields) f!();
      };
    }
    case 'map':
    case 'array': {
      const isMap = type.typeName === 'map';
      const itemType = (isMap ? t.valuesType : t.itemsType) as avro.Type;
      const skipItem = compileSkipper(itemType);
      if (!skipItem || (!isMap && minBytes(itemType) === 0)) return undefined;
      const minEntry = (isMap ? 1 : 0) + minBytes(itemType);
      return () => {
        let count = 0;
        for (let n = readBlockCount(minEntry); n > 0; n = readBlockCount(minEntry)) {
          count += n;
          for (; n > 0; n--) {
            if (isMap) skipString();
            skipItem();
          }
        }
        if (count > bounds.maxItems) plain = false;
      };
    }
    case 'union:unwrapped': {
      const branches = (t.types as avro.Type[]).map(compileSkipper);
      if (branches.some((b) => b === undefined)) return undefined;
      return () => {
        const index = readLong();
        const branch = branches[index];
        if (branch === undefined) throw new AvroBodyError(`invalid union index: ${index}`);
        branch();
      };
    }
    default:
      return undefined;
  }
}

function compileArray(itemsType: avro.Type): NodeReader | undefined {
  const readItem = compileNode(itemsType);
  // Items of no bytes would let a count run unchecked.
  if (!readItem || minBytes(itemsType) === 0) return undefined;
  return () => {
    const out: unknown[] = [];
    for (let n = readBlockCount(1); n > 0; n = readBlockCount(1)) {
      for (; n > 0; n--) out.push(readItem());
    }
    if (out.length > bounds.maxItems) plain = false;
    return out;
  };
}

function compileUnion(types: readonly avro.Type[]): NodeReader | undefined {
  const branches = types.map(compileNode);
  if (branches.some((b) => b === undefined)) return undefined;
  const read = branches as NodeReader[];
  return () => {
    const index = readLong();
    const branch = read[index];
    if (branch === undefined) throw new AvroBodyError(`invalid union index: ${index}`);
    return branch();
  };
}

function compileMap(valuesType: avro.Type): NodeReader | undefined {
  const readValue = compileNode(valuesType);
  if (!readValue) return undefined;
  const shapes = new MapShapes();
  // A key takes at least its length byte.
  const minEntry = 1 + minBytes(valuesType);
  return () => {
    const names: string[] = [];
    const values: unknown[] = [];
    let shape: MapShape | undefined;
    let first = true;
    let blocks = 0;
    for (let n = readBlockCount(minEntry); n > 0; n = readBlockCount(minEntry)) {
      blocks++;
      for (; n > 0; n--) {
        const index = names.length;
        const len = stringLength();
        if (first) shape = shapes.find(len, n);
        first = false;
        if (shape !== undefined && shape.keyIs(index, len)) {
          names.push(shape.names[index]!);
          if (!shape.plainKeys[index]) plain = false;
        } else {
          shape = undefined;
          names.push(text(pos, pos + len));
        }
        pos += len;
        values.push(readValue());
      }
    }
    if (names.length > bounds.maxItems) plain = false;
    if (shape !== undefined && shape.names.length === names.length) return shape.build(values);
    // `find` matches a sequence by the count of its first block: one written in several blocks never would, and
    // adding it at every read would push out the sequences that do match.
    if (blocks === 1) shapes.add(names);
    return assemble(names, values, names.length);
  };
}

/** At most this many key sequences are kept per map node (models of one topic each send their own). */
const MAX_SHAPES = 16;
/** Key sequences longer than this are built key by key: an object literal of thousands of names is slow to compile. */
const MAX_SHAPE_KEYS = 512;

/** A key sequence of a map: its strings, their UTF-8 bytes, and (once seen twice) a compiled builder. */
class MapShape {
  private readonly offsets: number[] = [0];
  private readonly bytes: Buffer;
  private builder: ObjectBuilder | undefined;
  private seen = 1;

  /** Per key, whether it is ASCII and within the bounds: a map reusing only such keys stays plain. */
  readonly plainKeys: boolean[];

  constructor(readonly names: readonly string[]) {
    const encoded = names.map((n) => Buffer.from(n, 'utf8'));
    for (const b of encoded) this.offsets.push(this.offsets[this.offsets.length - 1]! + b.length);
    this.bytes = Buffer.concat(encoded);
    this.plainKeys = encoded.map((b) => b.length <= bounds.maxStringBytes && b.every((c) => c <= 0x7f));
  }

  /** Whether the key at the cursor (of `len` bytes) is this sequence's `index`-th. */
  keyIs(index: number, len: number): boolean {
    if (index >= this.names.length) return false;
    const from = this.offsets[index]!;
    if (this.offsets[index + 1]! - from !== len) return false;
    for (let i = 0; i < len; i++) if (this.bytes[from + i] !== buf[pos + i]) return false;
    return true;
  }

  /** The map of these keys and `values`; compiled the second time (a sequence seen once may never come back). */
  build(values: unknown[]): Record<string, unknown> {
    if (this.builder) return this.builder(values);
    if (++this.seen >= 2) this.builder = compileBuilder(this.names);
    return assemble(this.names, values, this.names.length);
  }

  /** The first key's length and the first block's count, with which a map is matched to its sequence. */
  get firstKeyBytes(): number {
    return this.offsets[1]!;
  }
}

/** The key sequences of one map node, most recently added last. */
class MapShapes {
  private readonly shapes: MapShape[] = [];

  /** The sequence whose first key is the one at the cursor (of `len` bytes), in a first block of `count`. */
  find(len: number, count: number): MapShape | undefined {
    for (let i = this.shapes.length - 1; i >= 0; i--) {
      const s = this.shapes[i]!;
      if (s.names.length === count && s.firstKeyBytes === len && s.keyIs(0, len)) return s;
    }
    return undefined;
  }

  add(names: readonly string[]): void {
    if (names.length === 0 || names.length > MAX_SHAPE_KEYS || names.includes('__proto__')) return;
    if (this.shapes.length === MAX_SHAPES) this.shapes.shift();
    this.shapes.push(new MapShape(names));
  }
}

/**
 * A reader of bodies written with `type`'s own schema, or undefined when the schema uses what it does not
 * compile. `skipFields`: fields of the (record) type left out of the values it returns: read past, refused and
 * noted in `lastValueWasPlain` as if read, but never made (the label joiner and the estimator need no features).
 */
export function compileAvroReader(
  type: avro.Type,
  plainBounds: PlainBounds = { maxStringBytes: Infinity, maxItems: Infinity },
  skipFields: readonly string[] = [],
): AvroReader | undefined {
  const root =
    skipFields.length > 0 && type.typeName === 'record'
      ? compileRecord((type as unknown as { fields: { name: string; type: avro.Type }[] }).fields, skipFields)
      : compileNode(type);
  if (!root) return undefined;
  return (body) => {
    bounds = plainBounds;
    plain = true;
    buf = body;
    view = undefined;
    pos = 0;
    end = body.length;
    const value = root();
    if (pos < end) throw new AvroBodyError('trailing data');
    return value;
  };
}
