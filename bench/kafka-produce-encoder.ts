// Benchmark (not a test) of encoding kafkajs Produce requests: kafkajs 2.2.4's own encoder against ours
// (services/core/src/kafka/kafkajs-produce-encoder.ts), in the same process on the same requests.
//   npx tsx bench/kafka-produce-encoder.ts [records per partition=4000]
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import '../services/core/src/kafka/kafkajs-patches.ts';

const require = createRequire(import.meta.url);
type Encode = (args: unknown) => { encode: () => Promise<{ size: () => number }> };
// v7 is what kafkajs sends to Kafka 4; with the patches loaded it encodes with ours, and v3 keeps the original.
const patched = require('kafkajs/src/protocol/requests/produce/v7/request.js') as Encode;
const original = (require('kafkajs/src/protocol/requests/produce/v3/request.js') as { original: Encode })
  .original;

const N = Number(process.argv[2] ?? 4000);
const ROUNDS = 50;
const messages = () =>
  Array.from({ length: N }, () => ({ key: Buffer.from(randomUUID()), value: randomBytes(200), headers: {} }));
// One transactional request to two partitions of two topics, as a joiner's batch sends.
const args = {
  acks: -1,
  timeout: 30_000,
  transactionalId: 'bench',
  producerId: 5,
  producerEpoch: 0,
  compression: 0,
  topicData: ['joined', 'changelog'].map((topic) => ({
    topic,
    partitions: [{ partition: 0, firstSequence: 0, messages: messages() }],
  })),
};

async function cpuPerRecord(request: Encode): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < 10; i++) bytes += (await request(args).encode()).size();
  const start = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) bytes += (await request(args).encode()).size();
  const used = process.cpuUsage(start);
  if (bytes === 0) throw new Error('nothing encoded');
  return (used.user + used.system) / (ROUNDS * 2 * N);
}

const before = await cpuPerRecord(original);
const after = await cpuPerRecord(patched);
console.log(
  `Produce request, 2 x ${N} records of 200 B with 36 B keys, CPU per record (50 requests each, after 10 to warm up):`,
);
console.log(`  kafkajs 2.2.4 encoder   ${before.toFixed(2)} µs`);
console.log(`  driftline encoder       ${after.toFixed(2)} µs   (${(before / after).toFixed(1)}x less CPU)`);
