// Benchmark (not a test) of decoding the record batches of kafkajs Fetch responses: kafkajs 2.2.4's own
// decoder against ours (services/core/src/kafka/kafkajs-fetch-decoder.ts), in the same process on the same bytes.
//   npx tsx bench/kafka-fetch-decoder.ts [records per batch=500]
// Each fetch is 20 batches as a partition's record set holds them (Avro-sized values, UUID keys), decoded batch
// after batch as kafkajs' decodeMessages does; with and without two headers per record, and lz4-compressed.
//   npx tsx bench/kafka-fetch-decoder.ts consume [records=300000]
// A plain kafkajs consumer reading a topic of that many records (3 partitions, 200 B values) from the local
// Kafka (DRIFTLINE_KAFKA_BROKERS), in a process of its own: kafkajs as it ships against kafkajs with our
// patches, alternating, three times each; CPU of the consuming process per record.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';

const require = createRequire(import.meta.url);
const BROKERS = (process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
if (process.argv[2] === 'consume-child') {
  await consumeChild(process.argv[3] as 'kafkajs' | 'driftline', process.argv[4]!, Number(process.argv[5]));
  process.exit(0);
}
if (process.argv[2] === 'consume') {
  await consume(Number(process.argv[3] ?? 300_000));
  process.exit(0);
}
const { CompressionTypes } = await import('../services/core/src/kafka/client.ts');
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

// The consumer's Batch of one fetched partition (kafkajs' consumer/batch.js, and ours), from the records above.
type BatchClass = new (topic: string, fetchedOffset: string, partition: object) => { messages: unknown[] };
const OurBatch = require('kafkajs/src/consumer/batch.js') as BatchClass & { original: BatchClass };
const fetched = new DecoderClass(cases[0]!.bytes);
const records: { offset: string }[] = [];
while (fetched.canReadBytes(RECORD_BATCH_OVERHEAD)) {
  records.push(...((await ours(fetched)).records as { offset: string }[]));
}
const partition = { partition: 0, highWatermark: '99999999', abortedTransactions: [], messages: records };
function batchCpuPerRecord(Batch: BatchClass, rounds: number): number {
  const start = process.cpuUsage();
  let kept = 0;
  for (let i = 0; i < rounds; i++) kept += new Batch('t', records[0]!.offset, partition).messages.length;
  const used = process.cpuUsage(start);
  if (kept !== rounds * records.length) throw new Error(`kept ${kept} records`);
  return (used.user + used.system) / kept;
}
batchCpuPerRecord(OurBatch.original, FETCHES);
batchCpuPerRecord(OurBatch, FETCHES);
const [batchBefore, batchAfter]: number[][] = [[], []];
for (let t = 0; t < TRIALS; t++) {
  batchBefore!.push(batchCpuPerRecord(OurBatch.original, FETCHES * 5));
  batchAfter!.push(batchCpuPerRecord(OurBatch, FETCHES * 5));
}
const [bb, ba] = [median(batchBefore!), median(batchAfter!)];
console.log(
  `  ${'consumer Batch of a fetch'.padEnd(26)} kafkajs 2.2.4 ${bb.toFixed(2)} µs   driftline ${ba.toFixed(2)} µs   (${(bb / ba).toFixed(1)}x less CPU)`,
);
console.log(`load average ${loadavg()[0]!.toFixed(1)} at the end`);

/** Produces `records` records to a new topic, then reads it with each consumer in turn. */
async function consume(records: number): Promise<void> {
  const { Kafka, logLevel } = await import('../services/core/src/kafka/client.ts');
  const kafka = new Kafka({ clientId: 'bench-fetch', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const topic = `bench-fetch-decoder-${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let sent = 0; sent < records; sent += 2000) {
    const n = Math.min(2000, records - sent);
    await producer.send({
      topic,
      messages: Array.from({ length: n }, () => ({ key: randomUUID(), value: randomBytes(200) })),
    });
  }
  await producer.disconnect();
  const load = loadavg()[0]!;
  const cpu: Record<string, number[]> = { kafkajs: [], driftline: [] };
  for (let trial = 0; trial < 3; trial++) {
    for (const side of ['kafkajs', 'driftline'] as const) {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', new URL(import.meta.url).pathname, 'consume-child', side, topic, String(records)],
        { encoding: 'utf8' },
      );
      cpu[side]!.push((JSON.parse(out.trim().split('\n').at(-1)!) as { cpuUs: number }).cpuUs / records);
    }
  }
  const [before, after] = [median(cpu.kafkajs!), median(cpu.driftline!)];
  console.log(
    `Plain consume of ${records} records (200 B values, 36 B keys, 3 partitions), consumer CPU per record,`,
  );
  console.log(
    `median of 3 alternating runs each (load average ${load.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end):`,
  );
  console.log(
    `  kafkajs 2.2.4 as it ships   ${before.toFixed(2)} µs   (${cpu.kafkajs!.map((x) => x.toFixed(2)).join(', ')})`,
  );
  console.log(
    `  with our patches            ${after.toFixed(2)} µs   (${cpu.driftline!.map((x) => x.toFixed(2)).join(', ')})`,
  );
}

/** Reads the whole topic from the start with a new group; prints the CPU it took (µs) as JSON. */
async function consumeChild(side: 'kafkajs' | 'driftline', topic: string, records: number): Promise<void> {
  type KafkaModule = typeof import('kafkajs');
  let kafkajs: KafkaModule;
  if (side === 'driftline') {
    kafkajs = (await import('../services/core/src/kafka/client.ts')) as unknown as KafkaModule;
  } else {
    // kafkajs as it ships, with the same codecs registered (none are used here: the records are not compressed).
    kafkajs = require('kafkajs') as KafkaModule;
  }
  const kafka = new kafkajs.Kafka({
    clientId: 'bench-fetch',
    brokers: BROKERS,
    logLevel: kafkajs.logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `${topic}-${side}-${Date.now()}` });
  const start = process.cpuUsage();
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        seen += batch.messages.length;
        if (seen >= records) resolve();
      },
    });
  });
  const used = process.cpuUsage(start);
  await consumer.disconnect();
  console.log(JSON.stringify({ cpuUs: used.user + used.system, seen }));
}
