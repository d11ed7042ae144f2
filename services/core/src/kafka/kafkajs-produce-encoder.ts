/**
 * A faster encoder for kafkajs 2.2.4's Produce request (v3; v4–v7 reuse it), byte for byte the same as kafkajs'
 * own. kafkajs builds every record in a fresh 512-byte Encoder, every varint in a fresh Buffer and every
 * varlong with 64-bit Long objects: about 11 µs per record on our 2-core machine, the largest single cost of a
 * service that writes several records per event. This one sizes the whole request first and writes it into one
 * buffer. Compressed batches and inputs outside the plain shapes go to kafkajs' encoder unchanged.
 *
 * Installed into the require cache under the path kafkajs' produce v4 request loads v3 from, so it must run
 * before kafkajs is loaded (`kafkajs-patches.ts` does that).
 */
import { createRequire } from 'node:module';
import { crc32c } from './crc32c.ts';

const require = createRequire(import.meta.url);

type Bytes = Buffer | string | null | undefined;
type HeaderValue = Buffer | string;

export interface ProduceMessage {
  key?: Bytes;
  value: Bytes;
  headers?: Record<string, HeaderValue | HeaderValue[] | undefined>;
  timestamp?: string | number | null;
}

export interface ProducePartitionData {
  partition: number;
  firstSequence?: number;
  messages: ProduceMessage[];
}

export interface ProduceRequestArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  /** A number, a decimal string or kafkajs' Long. */
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: { topic: string; partitions: ProducePartitionData[] }[];
}

interface KafkajsLong {
  getHighBits(): number;
  getLowBits(): number;
}
interface LongClass {
  fromValue(v: unknown): KafkajsLong;
  fromInt(v: number): KafkajsLong;
}

const Long = require('kafkajs/src/utils/long.js') as LongClass;

const MAGIC = 2;
const TRANSACTIONAL = 16;
/** offset(8) length(4) leaderEpoch(4) magic(1) crc(4) attributes(2) lastOffsetDelta(4) first/maxTimestamp(16)
 *  producerId(8) producerEpoch(2) firstSequence(4) recordCount(4). */
const BATCH_OVERHEAD = 61;
/** Where the CRC-covered part of a batch starts, from the batch's first byte. */
const CRC_START = 21;

/** A record ready to write: its parts as bytes and its body size. */
interface PreparedRecord {
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [Buffer, Buffer][];
  bodySize: number;
}

interface PreparedBatch {
  partition: number;
  firstSequence: number;
  firstTimestamp: KafkajsLong;
  maxTimestamp: KafkajsLong;
  records: PreparedRecord[];
  size: number;
}

/** Thrown inside the encoder for inputs it leaves to kafkajs. */
class NotPlain extends Error {}

const toBytes = (v: Bytes): Buffer | null =>
  v == null ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8');

/** Header names as bytes: a service writes the same few names on every record. */
const headerNames = new Map<string, Buffer>();
function headerName(name: string): Buffer {
  let bytes = headerNames.get(name);
  if (bytes === undefined) {
    bytes = Buffer.from(name, 'utf8');
    if (headerNames.size < 256) headerNames.set(name, bytes);
  }
  return bytes;
}

function zigzag32(n: number): number {
  return ((n << 1) ^ (n >> 31)) >>> 0;
}

function uvarintSize(u: number): number {
  let size = 1;
  while (u >= 0x80) {
    u = Math.floor(u / 128);
    size += 1;
  }
  return size;
}

const varintSize = (n: number): number => uvarintSize(zigzag32(n));
/** zig-zag of a safe integer as a (possibly > 2^32) non-negative number. */
const zigzag64 = (n: number): number => (n >= 0 ? 2 * n : -2 * n - 1);
const bytesSize = (b: Buffer | null): number => (b === null ? 1 : varintSize(b.length) + b.length);

function prepareRecord(message: ProduceMessage, index: number, first: number, now: number): PreparedRecord {
  const timestampDelta = Number(message.timestamp || now) - first;
  if (!Number.isSafeInteger(timestampDelta) || !Number.isSafeInteger(2 * Math.abs(timestampDelta))) {
    throw new NotPlain();
  }
  const key = toBytes(message.key);
  const value = toBytes(message.value);
  const headers: [Buffer, Buffer][] = [];
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (v == null) throw new NotPlain(); // kafkajs fails on these; let it say so
      headers.push([headerName(name), toBytes(v)!]);
    }
  }
  let bodySize =
    1 + uvarintSize(zigzag64(timestampDelta)) + varintSize(index) + bytesSize(key) + bytesSize(value);
  bodySize += varintSize(headers.length);
  for (const [k, v] of headers) bodySize += bytesSize(k) + bytesSize(v);
  return { timestampDelta, key, value, headers, bodySize };
}

function prepareBatch(data: ProducePartitionData, now: number): PreparedBatch {
  const { messages } = data;
  // kafkajs sorts the timestamps as strings (Array.prototype.sort's default) and so do we, to match its bytes.
  const stamps = messages.map((m) => m.timestamp).filter((t) => t != null);
  stamps.sort();
  const timestamps: (string | number)[] = stamps.length === 0 ? [now] : (stamps as (string | number)[]);
  const firstRaw = timestamps[0]!;
  const first = Number(firstRaw);
  if (!Number.isSafeInteger(first)) throw new NotPlain();
  const records = messages.map((m, i) => prepareRecord(m, i, first, now));
  let size = BATCH_OVERHEAD;
  for (const r of records) size += varintSize(r.bodySize) + r.bodySize;
  return {
    partition: data.partition,
    firstSequence: data.firstSequence ?? 0,
    firstTimestamp: Long.fromValue(firstRaw),
    maxTimestamp: Long.fromValue(timestamps[timestamps.length - 1]),
    records,
    size,
  };
}

/** Writes big-endian integers and Kafka varints into one preallocated buffer. */
class Writer {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  int8(v: number): void {
    this.buf.writeInt8(v, this.offset);
    this.offset += 1;
  }
  int16(v: number): void {
    this.buf.writeInt16BE(v, this.offset);
    this.offset += 2;
  }
  int32(v: number): void {
    this.buf.writeInt32BE(v, this.offset);
    this.offset += 4;
  }
  long(v: KafkajsLong): void {
    this.buf.writeInt32BE(v.getHighBits(), this.offset);
    this.buf.writeInt32BE(v.getLowBits(), this.offset + 4);
    this.offset += 8;
  }
  uvarint(u: number): void {
    while (u >= 0x80) {
      this.buf[this.offset++] = (u % 128) | 0x80;
      u = Math.floor(u / 128);
    }
    this.buf[this.offset++] = u;
  }
  varint(n: number): void {
    this.uvarint(zigzag32(n));
  }
  varBytes(b: Buffer | null): void {
    if (b === null) return this.varint(-1);
    this.varint(b.length);
    this.raw(b);
  }
  raw(b: Buffer): void {
    b.copy(this.buf, this.offset);
    this.offset += b.length;
  }
  string(s: string | null): void {
    if (s === null) return this.int16(-1);
    const n = this.buf.write(s, this.offset + 2, 'utf8');
    this.int16(n);
    this.offset += n;
  }
}

function writeBatch(w: Writer, b: PreparedBatch, args: ProduceRequestArgs): void {
  const start = w.offset;
  w.long(Long.fromInt(0)); // first offset
  w.int32(b.size - 12); // batch length: what follows this field
  w.int32(0); // partition leader epoch
  w.int8(MAGIC);
  const crcAt = w.offset;
  w.int32(0); // CRC, filled in below
  w.int16(args.transactionalId ? TRANSACTIONAL : 0);
  w.int32(b.records.length - 1);
  w.long(b.firstTimestamp);
  w.long(b.maxTimestamp);
  w.long(Long.fromValue(args.producerId ?? -1)); // a number, string or Long, as kafkajs' writeInt64 takes
  w.int16(args.producerEpoch ?? 0);
  w.int32(b.firstSequence);
  w.int32(b.records.length);
  b.records.forEach((r, i) => {
    w.varint(r.bodySize);
    w.int8(0);
    w.uvarint(zigzag64(r.timestampDelta));
    w.varint(i);
    w.varBytes(r.key);
    w.varBytes(r.value);
    w.varint(r.headers.length);
    for (const [k, v] of r.headers) {
      w.varBytes(k);
      w.varBytes(v);
    }
  });
  w.buf.writeUInt32BE(crc32c(w.buf.subarray(start + CRC_START, w.offset)), crcAt);
}

/**
 * The request body (after the request header) kafkajs would send, or undefined when the input is one kafkajs
 * must encode itself (compression, non-integer timestamps, null header values).
 * @param now - kafkajs' `Date.now()` for messages without a timestamp
 */
export function encodeProduceRequest(args: ProduceRequestArgs, now = Date.now()): Buffer | undefined {
  if ((args.compression ?? 0) !== 0) return undefined;
  let topics: { name: Buffer; batches: PreparedBatch[] }[];
  try {
    topics = args.topicData.map((t) => ({
      name: Buffer.from(t.topic, 'utf8'),
      batches: t.partitions.map((p) => prepareBatch(p, now)),
    }));
  } catch (error) {
    if (error instanceof NotPlain) return undefined;
    throw error;
  }
  const transactionalId = args.transactionalId ?? null;
  let size = 2 + (transactionalId === null ? 0 : Buffer.byteLength(transactionalId, 'utf8')) + 2 + 4 + 4;
  for (const t of topics) {
    size += 2 + t.name.length + 4;
    for (const b of t.batches) size += 4 + 4 + b.size;
  }
  const w = new Writer(Buffer.allocUnsafe(size));
  w.string(transactionalId);
  w.int16(args.acks);
  w.int32(args.timeout);
  w.int32(topics.length);
  for (const t of topics) {
    w.int16(t.name.length);
    w.raw(t.name);
    w.int32(t.batches.length);
    for (const b of t.batches) {
      w.int32(b.partition);
      w.int32(b.size);
      writeBatch(w, b, args);
    }
  }
  if (w.offset !== size) throw new Error(`produce request sized ${size} but wrote ${w.offset}`);
  return w.buf;
}
