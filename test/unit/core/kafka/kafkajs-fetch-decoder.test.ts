import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { KAFKA_CODECS, type CodecName } from '../../../../services/core/src/kafka/compression-codecs.ts';
import {
  recordBatchDecoder,
  type CodecLookup,
  type RecordBatchDecoder,
} from '../../../../services/core/src/kafka/kafkajs-fetch-decoder.ts';
import { mulberry32 } from '../../../../services/core/src/stats/random.ts';

// This file loads kafkajs twice: first as it ships, then with our patches (as every service runs it), so the
// same captured Fetch responses go through kafkajs' whole decoding path both ways. Nothing may import
// kafkajs (client.ts, kafkajs-patches.ts) statically here.
const require = createRequire(import.meta.url);

interface Encoder {
  buffer: Buffer;
  size: () => number;
  writeInt8: (v: number) => Encoder;
  writeVarInt: (v: number) => Encoder;
  writeVarLong: (v: number | string) => Encoder;
  writeVarIntBytes: (v: Buffer | null) => Encoder;
  writeVarIntString: (v: string | null) => Encoder;
  writeEncoder: (e: Encoder) => Encoder;
}
interface Decoder {
  buffer: Buffer;
  offset: number;
}
interface FetchResponse {
  responses: { topicName: string; partitions: PartitionData[] }[];
}
interface PartitionData {
  partition: number;
  highWatermark: string;
  abortedTransactions: { producerId: string; firstOffset: string }[];
  messages: Message[];
}
interface Message {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, unknown>;
  isControlRecord: boolean;
  batchContext: { timestampType: number; inTransaction: boolean };
}
interface Batch {
  messages: Message[];
  firstOffset: () => string | null;
  lastOffset: () => string;
  isEmptyControlRecord: () => boolean;
  isEmptyDueToLogCompactedMessages: () => boolean;
}

/** kafkajs as loaded in this process: its Fetch response decoders and what the consumer builds from them. */
interface Kafkajs {
  decodeResponse: (version: number, raw: Buffer) => Promise<FetchResponse>;
  Batch: new (topic: string, fetchedOffset: string, partition: PartitionData) => Batch;
  batchDecoder: RecordBatchDecoder & { original?: RecordBatchDecoder };
  lookupCodec: CodecLookup;
  Decoder: new (buffer: Buffer) => Decoder;
  Encoder: new () => Encoder;
  RecordBatch: (args: object) => Promise<Encoder>;
}

function forgetKafkajs(): void {
  for (const file of Object.keys(require.cache)) {
    if (/[\\/]node_modules[\\/]kafkajs[\\/]/.test(file)) delete require.cache[file];
  }
}

function loadKafkajs(): Kafkajs {
  const compression = require('kafkajs/src/protocol/message/compression/index.js') as {
    Codecs: Record<number, () => unknown>;
    lookupCodecByAttributes: CodecLookup;
  };
  // As client.ts registers them for every service.
  (['gzip', 'snappy', 'lz4', 'zstd'] as CodecName[]).forEach((name, i) => {
    compression.Codecs[i + 1] = () => KAFKA_CODECS[name];
  });
  // Loaded now: the second load must not hand the first its modules.
  const responses = new Map<number, (raw: Buffer) => Promise<FetchResponse>>();
  for (let version = 4; version <= 11; version++) {
    const response = require(`kafkajs/src/protocol/requests/fetch/v${version}/response.js`) as {
      decode: (raw: Buffer) => Promise<FetchResponse>;
    };
    responses.set(version, response.decode);
  }
  return {
    decodeResponse: async (version, raw) => responses.get(version)!(raw),
    Batch: require('kafkajs/src/consumer/batch.js') as Kafkajs['Batch'],
    batchDecoder: require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as Kafkajs['batchDecoder'],
    lookupCodec: compression.lookupCodecByAttributes,
    Decoder: require('kafkajs/src/protocol/decoder.js') as Kafkajs['Decoder'],
    Encoder: require('kafkajs/src/protocol/encoder.js') as Kafkajs['Encoder'],
    RecordBatch: (
      require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: Kafkajs['RecordBatch'] }
    ).RecordBatch,
  };
}

forgetKafkajs();
const kafkajs = loadKafkajs();
forgetKafkajs();
await import('../../../../services/core/src/kafka/kafkajs-patches.ts');
const patched = loadKafkajs();
const kafkajsBatchDecoder = patched.batchDecoder.original!;
// Ours alone, without the stand-in for undecodable batches around it.
const ours = recordBatchDecoder(patched.lookupCodec, kafkajsBatchDecoder);

/**
 * What a decoded value is, field order included (the consumer's objects keep the shape kafkajs gives them):
 * buffers as hex, objects as their own entries in order, and the prototype of every object.
 */
function shape(x: unknown): unknown {
  if (Buffer.isBuffer(x)) return { buffer: x.toString('hex') };
  if (Array.isArray(x)) return x.map(shape);
  if (typeof x === 'function') return { function: x.name };
  if (x !== null && typeof x === 'object') {
    const proto = Object.getPrototypeOf(x) === Object.prototype ? 'Object' : String(Object.getPrototypeOf(x));
    return { proto, entries: Object.entries(x).map(([k, v]) => [k, shape(v)]) };
  }
  return x;
}

/** The outcome of decoding one batch at the start of `bytes`: result or error, and where the reader stopped. */
async function outcome(decode: RecordBatchDecoder, bytes: Buffer, D: Kafkajs['Decoder']): Promise<unknown> {
  const decoder = new D(bytes);
  try {
    const batch = await decode(decoder);
    return { batch: shape(batch), offset: decoder.offset };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}`, offset: decoder.offset };
  }
}

interface Captured {
  scenario: string;
  version: number;
  isolation: string;
  response: string;
}
const captured = JSON.parse(
  readFileSync(new URL('../../../fixtures/kafka-fetch/fetch-responses.json', import.meta.url), 'utf8'),
) as Captured[];

describe('kafkajs fetch decoder', () => {
  it('shouldDecodeEveryCapturedFetchResponseExactlyAsKafkajsDoes', async () => {
    const seen = { control: 0, aborted: 0, headerArrays: 0, nullKeys: 0, tombstones: 0, logAppendTime: 0 };
    for (const c of captured) {
      const raw = Buffer.from(c.response, 'base64');
      const expected = await kafkajs.decodeResponse(c.version, raw);
      const actual = await patched.decodeResponse(c.version, raw);
      expect(shape(actual), `${c.scenario} ${c.isolation}`).toEqual(shape(expected));
      for (const partition of actual.responses.flatMap((r) => r.partitions)) {
        seen.aborted += partition.abortedTransactions.length;
        for (const m of partition.messages) {
          seen.control += m.isControlRecord ? 1 : 0;
          seen.nullKeys += m.key === null ? 1 : 0;
          seen.tombstones += m.value === null ? 1 : 0;
          seen.headerArrays += Object.values(m.headers).some(Array.isArray) ? 1 : 0;
          seen.logAppendTime += m.batchContext.timestampType === 1 ? 1 : 0;
        }
      }
    }
    // The fixture holds what the parity must cover (capture.ts makes it).
    expect(seen.control).toBeGreaterThan(0);
    expect(seen.aborted).toBeGreaterThan(0);
    expect(seen.headerArrays).toBeGreaterThan(0);
    expect(seen.nullKeys).toBeGreaterThan(0);
    expect(seen.tombstones).toBeGreaterThan(0);
    expect(seen.logAppendTime).toBeGreaterThan(0);
  });

  it('shouldDecodeEveryCapturedBatchItselfWithoutKafkajs', async () => {
    // Parity would hold trivially if ours handed everything to kafkajs.
    expect(kafkajs.batchDecoder.original).toBeUndefined();
    let fallbacks = 0;
    const counting = recordBatchDecoder(patched.lookupCodec, async (d) => {
      fallbacks += 1;
      return kafkajsBatchDecoder(d);
    });
    let batches = 0;
    for (const c of captured) {
      const raw = Buffer.from(c.response, 'base64');
      for (const start of recordBatchesOf(raw)) {
        const decoder = new patched.Decoder(raw);
        decoder.offset = start;
        const batch = await counting(decoder);
        expect(batch.records.length).toBeGreaterThan(0);
        batches += 1;
      }
    }
    expect(batches).toBeGreaterThan(30);
    expect(fallbacks).toBe(0);
  });

  it('shouldCaptureBatchesOfEveryCodec', () => {
    const codecs = new Set<number>();
    for (const c of captured) {
      const raw = Buffer.from(c.response, 'base64');
      for (const batch of recordBatchesOf(raw)) codecs.add(raw.readInt16BE(batch + 21) & 0x07);
    }
    expect([...codecs].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('shouldHandTheConsumerTheSameBatchAsKafkajsDecodingWould', async () => {
    for (const c of captured) {
      const raw = Buffer.from(c.response, 'base64');
      const expected = await kafkajs.decodeResponse(c.version, raw);
      const actual = await patched.decodeResponse(c.version, raw);
      for (const [t, topic] of actual.responses.entries()) {
        for (const [p, partition] of topic.partitions.entries()) {
          const theirs = expected.responses[t]!.partitions[p]!;
          const offsets = partition.messages.map((m) => m.offset);
          // From the start, from the middle (records before the fetched offset dropped), past the end.
          for (const fetched of [offsets[0] ?? '0', offsets[offsets.length >> 1] ?? '0', '999999']) {
            // The same Batch class (ours, with the read_committed fix) for both: only the decoder differs.
            const a = new patched.Batch(topic.topicName, fetched, partition);
            const b = new patched.Batch(topic.topicName, fetched, theirs);
            expect(shape(a.messages)).toEqual(shape(b.messages));
            expect([a.firstOffset(), a.lastOffset(), a.isEmptyControlRecord()]).toEqual([
              b.firstOffset(),
              b.lastOffset(),
              b.isEmptyControlRecord(),
            ]);
          }
        }
      }
    }
  });

  it('shouldDecodeRandomRecordBatchesExactlyAsKafkajsDoes', { timeout: 60_000 }, async () => {
    const rand = mulberry32(16);
    for (let round = 0; round < 300; round++) {
      const bytes = await randomBatch(rand, round);
      const expected = await outcome(kafkajsBatchDecoder, bytes, patched.Decoder);
      expect(await outcome(ours, bytes, patched.Decoder), `round ${round}`).toEqual(expected);
      expect(await outcome(patched.batchDecoder, bytes, patched.Decoder), `round ${round}`).toEqual(expected);
    }
  });

  it('shouldFailOrDecodeCorruptBatchesExactlyAsKafkajsDoes', { timeout: 60_000 }, async () => {
    const rand = mulberry32(61);
    let errors = 0;
    for (let round = 0; round < 600; round++) {
      const bytes = Buffer.from(await randomBatch(rand, round));
      // One to three bytes changed anywhere, or the batch cut short.
      if (round % 5 === 4) {
        const cut = bytes.subarray(0, 12 + Math.floor(rand() * (bytes.length - 12)));
        expect(await outcome(ours, cut, patched.Decoder)).toEqual(
          await outcome(kafkajsBatchDecoder, cut, patched.Decoder),
        );
        continue;
      }
      for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) {
        // Mostly the records (from byte 57); sometimes the batch header.
        const at = rand() < 0.8 ? 57 + Math.floor(rand() * (bytes.length - 57)) : Math.floor(rand() * 57);
        bytes[at] = Math.floor(rand() * 256);
      }
      const expected = await outcome(kafkajsBatchDecoder, bytes, patched.Decoder);
      errors += 'error' in (expected as object) ? 1 : 0;
      expect(await outcome(ours, bytes, patched.Decoder), `round ${round}`).toEqual(expected);
    }
    expect(errors).toBeGreaterThan(10);
  });

  it('shouldLeaveOtherMagicsOffsetsBeyond2To53AndLongVarintsToKafkajs', async () => {
    const rand = mulberry32(3);
    const base = await randomBatch(rand, 1);
    const oldMagic = Buffer.from(base);
    oldMagic[16] = 1;
    const farOffset = Buffer.from(base);
    farOffset.writeBigInt64BE(2n ** 62n + 5n, 0);
    const farTimestamp = Buffer.from(base);
    farTimestamp.writeBigInt64BE(-(2n ** 60n), 27);
    for (const bytes of [oldMagic, farOffset, farTimestamp]) {
      const expected = await outcome(kafkajsBatchDecoder, bytes, patched.Decoder);
      expect(await outcome(ours, bytes, patched.Decoder)).toEqual(expected);
    }
    const far = (await outcome(ours, farOffset, patched.Decoder)) as { batch: unknown };
    expect(JSON.stringify(far.batch)).toContain(String(2n ** 62n + 5n));
  });

  it('shouldInstallOurDecoderBehindTheStandInForUndecodableBatches', async () => {
    expect(typeof patched.batchDecoder.original).toBe('function');
    expect(patched.batchDecoder).not.toBe(kafkajsBatchDecoder);
    // A codec id Kafka does not define still becomes one stand-in record, as before.
    const bytes = Buffer.from(await randomBatch(mulberry32(9), 2));
    bytes.writeInt16BE(bytes.readInt16BE(21) | 0x07, 21);
    const decoded = await patched.batchDecoder(new patched.Decoder(bytes));
    expect(decoded.records).toHaveLength(1);
    expect(Object.keys(decoded.records[0]!.headers)).toContain('driftline.undecodable.batch');
  });
});

/** The start of every record batch in a Fetch response (v4 to v11 all lay their record sets out alike). */
function recordBatchesOf(raw: Buffer): number[] {
  const starts: number[] = [];
  let at = 4 + 2 + 4; // throttle time, error code, session id
  const topics = raw.readInt32BE(at);
  at += 4;
  for (let t = 0; t < topics; t++) {
    at += 2 + raw.readInt16BE(at);
    const partitions = raw.readInt32BE(at);
    at += 4;
    for (let p = 0; p < partitions; p++) {
      at += 4 + 2 + 8 + 8 + 8;
      const aborted = raw.readInt32BE(at);
      at += 4 + Math.max(aborted, 0) * 16 + 4; // aborted transactions, preferred read replica
      const size = raw.readInt32BE(at);
      at += 4;
      const end = at + size;
      for (let b = at; b + 61 <= end; b += 12 + raw.readInt32BE(b + 8)) starts.push(b);
      at = end;
    }
  }
  return starts;
}

const HEADER_KEYS = ['a', 'driftline.reason', 'toString', '__proto__', '1', 'constructor', 'ключ', ''];

/** One record's bytes with exactly these fields, headers in this order (repeats included). */
function rawRecord(
  offsetDelta: number,
  timestampDelta: number | string,
  key: Buffer | null,
  value: Buffer | null,
  headers: [string | null, Buffer | null][],
): Encoder {
  const E = patched.Encoder;
  const body = new E()
    .writeInt8(0)
    .writeVarLong(timestampDelta)
    .writeVarInt(offsetDelta)
    .writeVarIntBytes(key)
    .writeVarIntBytes(value)
    .writeVarInt(headers.length);
  for (const [k, v] of headers) body.writeVarIntString(k).writeVarIntBytes(v);
  return new E().writeVarInt(body.size()).writeEncoder(body);
}

/** A record batch of random shape: every codec, control and log-append-time batches, odd headers and deltas. */
async function randomBatch(rand: () => number, round: number): Promise<Buffer> {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const blob = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
  const count = pick([0, 1, 2, 7, 40]);
  const records = Array.from({ length: count }, (_, i) =>
    rawRecord(
      pick([i, i * 3, -i]),
      pick<number | string>([0, i, -i * 1000, 3_000_000_000, -(2 ** 40), '281474976710656']),
      pick([null, Buffer.alloc(0), blob(4), blob(36)]),
      pick([null, Buffer.alloc(0), blob(20), blob(300)]),
      Array.from({ length: pick([0, 0, 1, 3]) }, () => [
        pick<string | null>(rand() < 0.02 ? [null] : HEADER_KEYS),
        pick([null, Buffer.alloc(0), blob(5)]),
      ]),
    ),
  );
  const compression = round % 6 <= 4 ? round % 6 : 0;
  const encoder = await patched.RecordBatch({
    compression,
    firstOffset: pick(['0', '12345678901', String(2 ** 53 - 100), '7']),
    firstTimestamp: pick([1_780_000_000_000, 0, -5, 2 ** 52]),
    maxTimestamp: pick([1_780_000_000_999, -1]),
    partitionLeaderEpoch: pick([0, 17, -1]),
    lastOffsetDelta: Math.max(count - 1, 0),
    transactional: rand() < 0.3,
    producerId: pick(['-1', '4000000123', '9223372036854775000']),
    producerEpoch: pick([0, 3, -1]),
    firstSequence: pick([0, 99, -1]),
    records,
  });
  const bytes = Buffer.from(encoder.buffer);
  // Control and log-append-time batches (attribute bits the encoder does not set); the CRC is not checked.
  const attributes = bytes.readInt16BE(21) | (rand() < 0.2 ? 0x20 : 0) | (rand() < 0.2 ? 0x08 : 0);
  bytes.writeInt16BE(attributes, 21);
  return bytes;
}
