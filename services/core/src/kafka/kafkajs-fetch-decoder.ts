/**
 * A faster decoder of the record batches (magic 2) in kafkajs 2.2.4's Fetch responses. kafkajs decodes each
 * record through a new Decoder over a copy-free slice, a 64-bit Long object per varlong step, a BigInt parsed
 * from the batch's first offset and first timestamp strings for every record, and a header object rebuilt by
 * spreading for every header: about 2 µs of CPU per record, which every consumer pays on every record it reads.
 * This reads the same bytes with plain numbers and builds exactly the objects kafkajs builds (same fields, same
 * order, key, value and header values as views of the response's bytes), so nothing downstream can tell.
 *
 * Anything outside the common case goes to kafkajs' own decoder, from the batch's first byte, so the result
 * (or the error) is kafkajs' by construction: another magic, a batch cut at the end of the fetch, offsets or
 * timestamps beyond 2^53, varints longer than kafkajs reads alike, a record or field running past its bounds,
 * a null or `__proto__` header key. kafkajs-patches.ts installs it where kafkajs loads its record-batch decoder.
 */

/** The fields of kafkajs' Decoder that a record-batch decoder reads and moves. */
export interface FetchDecoder {
  buffer: Buffer;
  offset: number;
}

/** kafkajs' codec shape: only decompression is used here. */
export interface DecompressingCodec {
  decompress: (buffer: Buffer) => Promise<Buffer>;
}

/** kafkajs' `lookupCodecByAttributes`: the registered codec of a batch, null for none; throws if unregistered. */
export type CodecLookup = (attributes: number) => DecompressingCodec | null;

/** The batch fields kafkajs puts on the decoded batch and, with `magicByte`, on every record's `batchContext`. */
export interface RecordBatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
}

/** A record as kafkajs 2.2.4 decodes it. */
export interface FetchedRecord {
  magicByte: number;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
  batchContext: RecordBatchContext & { magicByte: number };
}

export type DecodedRecordBatch = RecordBatchContext & { records: FetchedRecord[] };

export type RecordBatchDecoder = (decoder: FetchDecoder) => Promise<DecodedRecordBatch>;

const MAGIC_V2 = 2;
// Byte positions in a record batch, from its first byte (Kafka's RecordBatch, magic 2).
const LENGTH_AT = 8;
const LEADER_EPOCH_AT = 12;
const MAGIC_AT = 16;
const ATTRIBUTES_AT = 21;
const LAST_OFFSET_DELTA_AT = 23;
const FIRST_TIMESTAMP_AT = 27;
const MAX_TIMESTAMP_AT = 35;
const PRODUCER_ID_AT = 43;
const PRODUCER_EPOCH_AT = 51;
const FIRST_SEQUENCE_AT = 53;
const RECORD_COUNT_AT = 57;
const RECORDS_AT = 61;

const TIMESTAMP_TYPE_FLAG = 0x08;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;
/** kafkajs' TimestampTypes.LOG_APPEND_TIME and CREATE_TIME. */
const LOG_APPEND_TIME = 1;
const CREATE_TIME = 0;

/** |high 32 bits| below 2^21: the int64 is a safe integer as a number. */
const SAFE_HIGH = 0x200000;

/**
 * The record-batch decoder for kafkajs' fetch path: ours where it applies, `fallback` (kafkajs' own) otherwise.
 * Like kafkajs', it moves `decoder` past the batch before decompressing, so a batch that fails is stepped over.
 */
export function recordBatchDecoder(
  lookupCodec: CodecLookup,
  fallback: RecordBatchDecoder,
): RecordBatchDecoder {
  return async (decoder) => {
    const start = decoder.offset;
    const header = readBatchHeader(decoder.buffer, start);
    if (header === undefined) return fallback(decoder);
    decoder.offset = header.end;
    const codec = lookupCodec(header.attributes);
    const { context, count } = header;
    const batchContext = { ...context, magicByte: MAGIC_V2 };
    let records: FetchedRecord[] | undefined;
    if (codec === null) {
      records =
        count === -1
          ? []
          : decodeRecords(decoder.buffer, start + RECORDS_AT, header.end, count, header, batchContext);
    } else if (count <= 0) {
      records = [];
    } else {
      const decompressed = await codec.decompress(decoder.buffer.subarray(start + RECORDS_AT, header.end));
      records = decodeRecords(decompressed, 0, decompressed.length, count, header, batchContext);
    }
    if (records === undefined) {
      decoder.offset = start;
      return fallback(decoder);
    }
    return { ...context, records };
  };
}

interface BatchHeader {
  context: RecordBatchContext;
  attributes: number;
  count: number;
  end: number;
  /** firstOffset and firstTimestamp as numbers, safe integers. */
  firstOffset: number;
  firstTimestamp: number;
}

/** The header of the magic-2 batch at `start`, or undefined if ours should not decode it. Pure. */
function readBatchHeader(buffer: Buffer, start: number): BatchHeader | undefined {
  if (start + RECORDS_AT > buffer.length) return undefined;
  const length = buffer.readInt32BE(start + LENGTH_AT);
  const end = start + LEADER_EPOCH_AT + length;
  if (length < RECORDS_AT - LEADER_EPOCH_AT || end > buffer.length) return undefined;
  if (buffer.readInt8(start + MAGIC_AT) !== MAGIC_V2) return undefined;
  const firstOffset = safeInt64(buffer, start);
  const firstTimestamp = safeInt64(buffer, start + FIRST_TIMESTAMP_AT);
  if (Number.isNaN(firstOffset) || Number.isNaN(firstTimestamp)) return undefined;
  const count = buffer.readInt32BE(start + RECORD_COUNT_AT);
  if (count < -1) return undefined;
  const attributes = buffer.readInt16BE(start + ATTRIBUTES_AT);
  // Field order as kafkajs builds it: the same object shape for everything downstream.
  const context: RecordBatchContext = {
    firstOffset: String(firstOffset),
    firstTimestamp: String(firstTimestamp),
    partitionLeaderEpoch: buffer.readInt32BE(start + LEADER_EPOCH_AT),
    inTransaction: (attributes & TRANSACTIONAL_FLAG) > 0,
    isControlBatch: (attributes & CONTROL_FLAG) > 0,
    lastOffsetDelta: buffer.readInt32BE(start + LAST_OFFSET_DELTA_AT),
    producerId: int64String(buffer, start + PRODUCER_ID_AT),
    producerEpoch: buffer.readInt16BE(start + PRODUCER_EPOCH_AT),
    firstSequence: buffer.readInt32BE(start + FIRST_SEQUENCE_AT),
    maxTimestamp: int64String(buffer, start + MAX_TIMESTAMP_AT),
    timestampType: (attributes & TIMESTAMP_TYPE_FLAG) > 0 ? LOG_APPEND_TIME : CREATE_TIME,
  };
  return { context, attributes, count, end, firstOffset, firstTimestamp };
}

/** The big-endian int64 at `at` as a number, NaN unless it is a safe integer. Pure. */
function safeInt64(buffer: Buffer, at: number): number {
  const high = buffer.readInt32BE(at);
  if (high <= -SAFE_HIGH || high >= SAFE_HIGH) return NaN;
  return high * 0x1_0000_0000 + buffer.readUInt32BE(at + 4);
}

/** The big-endian int64 at `at` in decimal, as kafkajs writes it. Pure. */
function int64String(buffer: Buffer, at: number): string {
  const value = safeInt64(buffer, at);
  return Number.isNaN(value) ? buffer.readBigInt64BE(at).toString() : String(value);
}

// The read position of the record decoding below. It is synchronous from start to end, so no other batch's
// decoding can move it in between; a number in a module variable is cheaper than a cursor object per batch.
let at = 0;
/** A varint or varlong the decoder leaves to kafkajs: too long, or past its bounds. */
const UNREADABLE = Number.NaN;

/**
 * `count` records from `from` of `buffer` (no further than `end`), or undefined if any is one for kafkajs
 * to decode. Records are length-prefixed; bytes a record holds past its last header are skipped, as kafkajs
 * does.
 */
function decodeRecords(
  buffer: Buffer,
  from: number,
  end: number,
  count: number,
  header: BatchHeader,
  batchContext: FetchedRecord['batchContext'],
): FetchedRecord[] | undefined {
  const records = new Array<FetchedRecord>(count);
  const logAppendTime = header.context.timestampType === LOG_APPEND_TIME;
  const isControlRecord = header.context.isControlBatch;
  // A producer's records often share one timestamp: written once, the same string for each.
  let lastCreateTime = Number.NaN;
  let lastTimestamp = '';
  at = from;
  for (let i = 0; i < count; i++) {
    const length = varint(buffer, end);
    if (!(length >= 0) || at + length > end) return undefined;
    const recordEnd = at + length;
    if (at >= recordEnd) return undefined;
    const attributes = buffer.readInt8(at++);
    const timestampDelta = varlong(buffer, recordEnd);
    const offsetDelta = varint(buffer, recordEnd);
    if (Number.isNaN(timestampDelta) || Number.isNaN(offsetDelta)) return undefined;
    const offset = header.firstOffset + offsetDelta;
    const createTime = header.firstTimestamp + timestampDelta;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(createTime)) return undefined;
    const key = bytes(buffer, recordEnd);
    if (key === undefined) return undefined;
    const value = bytes(buffer, recordEnd);
    if (value === undefined) return undefined;
    const headers = recordHeaders(buffer, recordEnd);
    if (headers === undefined) return undefined;
    if (!logAppendTime && createTime !== lastCreateTime) {
      lastCreateTime = createTime;
      lastTimestamp = decimal(createTime);
    }
    records[i] = {
      magicByte: MAGIC_V2,
      attributes,
      timestamp: logAppendTime ? header.context.maxTimestamp : lastTimestamp,
      offset: decimal(offset),
      key,
      value,
      headers,
      isControlRecord,
      batchContext,
    };
    at = recordEnd;
  }
  return records;
}

// Writing a number beyond 32 bits in decimal costs V8 several times what a small integer costs, and a batch's
// offsets and timestamps share their leading digits: those are written once per run of equal leading digits.
const LOW_DIGITS = 1_000_000;
const ZEROS = ['', '0', '00', '000', '0000', '00000'];
let highPart = -1;
let highDigits = '';

/** `String(n)` for a safe integer `n`, as kafkajs writes offsets and timestamps. */
function decimal(n: number): string {
  if (n < LOW_DIGITS) return String(n);
  const high = Math.floor(n / LOW_DIGITS);
  const low = String(n - high * LOW_DIGITS);
  if (high !== highPart) {
    highPart = high;
    highDigits = String(high);
  }
  return highDigits + ZEROS[6 - low.length]! + low;
}

/**
 * A record's headers as kafkajs builds them: a plain object, a repeated key's values gathered in an array.
 * kafkajs reads the key's old value through the prototype (a key named like an Object method gathers that
 * method too), which the same expression here repeats.
 */
function recordHeaders(buffer: Buffer, end: number): FetchedRecord['headers'] | undefined {
  const count = varint(buffer, end);
  if (count === -1 || count === 0) return {};
  if (!(count > 0)) return undefined;
  const headers: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const keyLength = varint(buffer, end);
    if (!(keyLength >= 0) || at + keyLength > end) return undefined;
    const key = buffer.toString('utf8', at, at + keyLength);
    at += keyLength;
    // kafkajs spreads into a new object, which makes `__proto__` an own property; assigning would not.
    if (key === '__proto__') return undefined;
    const value = bytes(buffer, end);
    if (value === undefined) return undefined;
    const old = headers[key];
    headers[key] = old === undefined ? value : Array.isArray(old) ? old.concat([value]) : [old, value];
  }
  return headers as FetchedRecord['headers'];
}

/** Length-prefixed bytes (a view, not a copy), null for length -1, undefined if past `end`. */
function bytes(buffer: Buffer, end: number): Buffer | null | undefined {
  const length = varint(buffer, end);
  if (length === -1) return null;
  if (!(length >= 0) || at + length > end) return undefined;
  const view = buffer.subarray(at, at + length);
  at += length;
  return view;
}

/**
 * A zigzag varint of at most 5 bytes, computed with kafkajs' own expression (so the same 32-bit result for
 * every input it reads), or UNREADABLE.
 */
function varint(buffer: Buffer, end: number): number {
  let result = 0;
  let shift = 0;
  let byte: number;
  do {
    if (at >= end || shift > 28) return UNREADABLE;
    byte = buffer[at++]!;
    result += (byte & 0x7f) << shift;
    shift += 7;
  } while (byte >= 0x80);
  return (result >>> 1) ^ -(result & 1);
}

/** A zigzag varlong of at most 7 bytes (below 2^49: exact in a number), or UNREADABLE. */
function varlong(buffer: Buffer, end: number): number {
  let result = 0;
  let scale = 1;
  let byte: number;
  do {
    if (at >= end || scale > 2 ** 42) return UNREADABLE;
    byte = buffer[at++]!;
    result += (byte & 0x7f) * scale;
    scale *= 128;
  } while (byte >= 0x80);
  return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
}
