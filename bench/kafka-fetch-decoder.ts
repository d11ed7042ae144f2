// Benchmark (not a test) of decoding the record batches of kafkajs Fetch responses: kafkajs 2.2.4's own
// decoder against ours (services/core/src/kafka/kafkajs-fetch-decoder.ts), in the same process on the same bytes.
//   npx tsx bench/kafka-fetch-decoder.ts [records per batch=500]
// Each fetch is 20 batches as a partition's record set holds them (Avro-sized values, UUID keys), decoded batch
// after batch as kafkajs' decodeMessages does; with and without two headers per record, and lz4-compressed.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { CompressionTypes } from '../services/core/src/kafka/client.ts';

const require = createRequire(import.meta.url);
interface Decoder {
  buffer: Buffer;
  offset: number;
  canReadBytes: (n: number) => boolean;
}
type BatchDecoder = (d: Decoder) => Promise<{ records: unknown[] }>;
const DecoderClass = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => Decoder;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (a: object) => Promise<{ buffer: Buffer }>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (a: object) => unknown;
// With the patches loaded (client.ts), the module is ours, and `original` is kafkajs' own.
const ours = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as BatchDecoder & {
  original: BatchDecoder;
};
const kafkajs = ours.original;

const N = Number(process.argv[2] ?? 500);
const BATCHES = 20;
const FETCHES = 10;
const TRIALS = 9;
const RECORD_BATCH_OVERHEAD = 49; // as kafkajs' decodeMessages

async function fetchBytes(compression: number, headers: boolean): Promise<Buffer> {
  const batches: Buffer[] = [];
  const now = Date.now();
  for (let b = 0; b < BATCHES; b++) {
    const records = Array.from({ length: N }, (_, i) =>
      Record({
        offsetDelta: i,
        timestampDelta: i * 3,
        key: Buffer.from(randomUUID()),
        value: randomBytes(200),
        headers: headers
          ? { 'driftline.model': Buffer.from('model-1'), trace: Buffer.from(randomUUID()) }
          : {},
      }),
    );
    const batch = await RecordBatch({
      compression,
      firstOffset: String(12_345_678 + b * N),
      firstTimestamp: now,
      maxTimestamp: now + N * 3,
      lastOffsetDelta: N - 1,
      records,
    });
    batches.push(batch.buffer);
  }
  return Buffer.concat(batches);
}

async function decodeFetch(decode: BatchDecoder, bytes: Buffer): Promise<number> {
  const decoder = new DecoderClass(bytes);
  const records: unknown[] = [];
  while (decoder.canReadBytes(RECORD_BATCH_OVERHEAD)) records.push(...(await decode(decoder)).records);
  return records.length;
}

/** CPU µs per record of `fetches` decodes of `bytes`. */
async function cpuPerRecord(decode: BatchDecoder, bytes: Buffer, fetches: number): Promise<number> {
  let records = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < fetches; i++) records += await decodeFetch(decode, bytes);
  const used = process.cpuUsage(start);
  if (records !== fetches * N * BATCHES) throw new Error(`decoded ${records} records`);
  return (used.user + used.system) / records;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const cases = [
  { name: 'uncompressed, no headers', bytes: await fetchBytes(CompressionTypes.None, false) },
  { name: 'uncompressed, 2 headers', bytes: await fetchBytes(CompressionTypes.None, true) },
  { name: 'lz4, no headers', bytes: await fetchBytes(CompressionTypes.LZ4, false) },
];
console.log(
  `Fetch record batches, ${BATCHES} x ${N} records of 200 B with 36 B keys, CPU per record, median of ${TRIALS} ` +
    `alternating trials of ${FETCHES} fetches each (after ${FETCHES} to warm up):`,
);
for (const { name, bytes } of cases) {
  await cpuPerRecord(kafkajs, bytes, FETCHES);
  await cpuPerRecord(ours, bytes, FETCHES);
  const before: number[] = [];
  const after: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    before.push(await cpuPerRecord(kafkajs, bytes, FETCHES));
    after.push(await cpuPerRecord(ours, bytes, FETCHES));
  }
  const [b, a] = [median(before), median(after)];
  console.log(
    `  ${name.padEnd(26)} kafkajs 2.2.4 ${b.toFixed(2)} µs   driftline ${a.toFixed(2)} µs   (${(b / a).toFixed(1)}x less CPU)`,
  );
}
const [load1] = (await import('node:os')).loadavg();
console.log(`load average ${load1!.toFixed(1)} at the end`);
