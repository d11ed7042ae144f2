// Benchmark (not a test) of the label joiner on the real local stack (`bash infra/stack.sh start` first):
//   npx tsx bench/label-joiner.ts [pairs=200000] [pending=10000,1000000]
// For each pending size: preloads that many predictions that never get a label, lets the joiner store them,
// stops it (clean checkpoint), produces `pairs` predictions and their labels, restarts it and measures how fast
// it catches up: joined pairs per second, and the joiner's RSS at the end. Then a plain kafkajs consume-and-
// produce pass over the same input gives the client's own ceiling on this machine, for the ratio.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { topicNames } from '../services/core/src/config/topics.ts';
import { classifierTraffic } from '../services/simulator/src/classifier-traffic.ts';
import { avroEncoder } from './lib/avro-encoder.ts';
import {
  startServiceProcess,
  waitReady,
  type ServiceProcess,
} from '../test/integration/utils/service-process.ts';

const PAIRS = Number(process.argv[2] ?? 200_000);
const PENDING = (process.argv[3] ?? '10000,1000000').split(',').map(Number);
const BROKERS = process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092';
const REGISTRY = process.env.DRIFTLINE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const T0 = Date.parse('2026-06-01T00:00:00Z');
const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });

const children: ServiceProcess[] = [];

function startJoiner(env: Record<string, string>): ServiceProcess {
  // e.g. BENCH_JOINER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the joiner.
  const nodeArgs = process.env.BENCH_JOINER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const p = startServiceProcess('label-joiner', env, nodeArgs);
  children.push(p);
  return p;
}

function benchEnv(stateDir: string): Record<string, string> {
  const id = randomBytes(4).toString('hex');
  return {
    ...(process.env.BENCH_JOINER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_JOINER_NODE_OPTIONS } : {}),
    DRIFTLINE_KAFKA_BROKERS: BROKERS,
    DRIFTLINE_SCHEMA_REGISTRY_URL: REGISTRY,
    DRIFTLINE_TOPIC_PREFIX: `bench${id}.`,
    DRIFTLINE_CLICKHOUSE_DATABASE: `bench_${id}`,
    DRIFTLINE_JOINER_GROUP_ID: `bench-joiner-${id}`,
    DRIFTLINE_STATE_DIR: stateDir,
    DRIFTLINE_LOG_LEVEL: process.env.BENCH_JOINER_LOG_LEVEL ?? 'info',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    // Joiner settings given to the benchmark apply to the joiners it starts.
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('DRIFTLINE_JOINER_'))),
  };
}

/** Produces generated messages in batches, a few requests in flight. */
async function produce(topic: string, count: number, make: (i: number) => Message): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const batch = 5000;
  let inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += batch) {
    const messages = Array.from({ length: Math.min(batch, count - i) }, (_, k) => make(i + k));
    inFlight.push(producer.send({ topic, acks: 1, messages }));
    if (inFlight.length >= 4) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  await producer.disconnect();
}

async function metric(p: ServiceProcess, name: string, filter = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${await p.port()}/metrics`)).text();
  const re = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)`, 'gm');
  return [...text.matchAll(re)].filter((m) => m[1]!.includes(filter)).reduce((s, m) => s + Number(m[2]), 0);
}

async function until(
  what: string,
  probe: () => Promise<number>,
  target: number,
  timeoutMs: number,
): Promise<{ first: number; end: number }> {
  const deadline = Date.now() + timeoutMs;
  let first = 0;
  let last = 0;
  while (Date.now() < deadline) {
    const n = await probe().catch(() => 0);
    if (n > 0 && first === 0) first = performance.now();
    if (n >= target) return { first, end: performance.now() };
    if (n !== last) last = n;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}: ${last}/${target}`);
}

interface Memory {
  rssMb: number;
  anonMb: number;
  fileMb: number;
  peakMb: number;
  /** Live JavaScript objects after the last GC: what would grow if state were kept in memory. */
  heapUsedMb: number;
  /** V8's heap as allocated (live objects plus garbage not yet collected). */
  heapTotalMb: number;
}

/** RSS from /proc (anonymous, file-backed, peak) and the V8 heap from the joiner's own metrics. */
async function memory(p: ServiceProcess): Promise<Memory> {
  const status = readFileSync(`/proc/${p.child.pid!}/status`, 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  const mb = async (name: string) => (await metric(p, name)) / 2 ** 20;
  return {
    rssMb: kb('VmRSS'),
    anonMb: kb('RssAnon'),
    fileMb: kb('RssFile'),
    peakMb: kb('VmHWM'),
    heapUsedMb: await mb('driftline_process_nodejs_heap_size_used_bytes'),
    heapTotalMb: await mb('driftline_process_nodejs_heap_size_total_bytes'),
  };
}

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface RunResult {
  pending: number;
  joinsPerSecond: number;
  /** Joiner CPU per join: a figure the machine's other load disturbs less than wall-clock throughput. */
  cpuMicrosPerJoin: number;
  memory: Memory;
  /** The first process right after it stored the pending predictions (it wrote them, so its LevelDB is warm). */
  afterPreload: Memory;
  env: Record<string, string>;
}

const envs: Record<string, string>[] = [];

async function run(pending: number, stateDir: string): Promise<RunResult> {
  const env = benchEnv(stateDir);
  envs.push(env);
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
  // The first start creates topics, tables and schemas; the background predictions then fill its stores.
  let joiner = startJoiner(env);
  await waitReady(joiner);
  const encode = await avroEncoder(env.DRIFTLINE_TOPIC_PREFIX!, REGISTRY);
  const traffic = classifierTraffic({
    modelId: 'bench',
    modelVersion: 'v1',
    startMs: T0,
    stepMs: 1,
    idPrefix: 'x',
  });
  const template = traffic.next().value!.inference;
  const prediction = (id: string, ts: number): Message => ({
    key: id,
    value: encode('inference', { ...template, prediction_id: id, timestamp: ts }),
  });
  let started = performance.now();
  await produce(topics.inference, pending, (i) => prediction(`bg-${i}`, T0 + i));
  await until(
    'background predictions stored',
    () => metric(joiner, 'driftline_joiner_pending', 'kind="prediction"'),
    pending,
    1_800_000,
  );
  console.log(
    `  ${pending} pending predictions stored in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // A few idle seconds first: the batches in flight finish and V8 may give back what it no longer needs.
  await new Promise((r) => setTimeout(r, 5000));
  const afterPreload = await memory(joiner);
  await joiner.stop();
  // The measured stream: predictions and their labels, joined while the joiner catches up.
  started = performance.now();
  await produce(topics.inference, PAIRS, (i) => prediction(`pair-${i}`, T0 + 2_000_000 + i));
  await produce(topics.groundTruth, PAIRS, (i) => ({
    key: `pair-${i}`,
    value: encode('truth', {
      prediction_id: `pair-${i}`,
      timestamp: T0 + 2_100_000 + i,
      label: 'a',
      model_id: null,
    }),
  }));
  console.log(`  ${PAIRS} pairs produced in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  joiner = startJoiner(env);
  await waitReady(joiner);
  const cpuBefore = cpuSeconds(joiner.child.pid!);
  const t = await until(
    'all pairs joined',
    () => metric(joiner, 'driftline_joiner_joined_total'),
    PAIRS,
    1_800_000,
  );
  const cpuMicrosPerJoin = ((cpuSeconds(joiner.child.pid!) - cpuBefore) * 1e6) / PAIRS;
  const result = {
    pending,
    joinsPerSecond: PAIRS / ((t.end - t.first) / 1000),
    cpuMicrosPerJoin,
    memory: await memory(joiner),
    afterPreload,
    env,
  };
  await joiner.stop();
  return result;
}

/** A plain kafkajs pass over the same input: consume both topics, produce every message to one output topic. */
async function baseline(env: Record<string, string>, messages: number): Promise<number> {
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
  const out = `${env.DRIFTLINE_TOPIC_PREFIX!}bench-copy`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: out, numPartitions: 6 }], waitForLeaders: true });
  // A topic just created may not be in every broker's metadata yet ("does not host this topic-partition").
  await new Promise((r) => setTimeout(r, 2000));
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `bench-copy-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.inference, topics.groundTruth], fromBeginning: true });
  let seen = 0;
  let first = 0;
  const done = new Promise<number>((resolve, reject) => {
    consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
    consumer
      .run({
        // The joiner's default concurrency, so both sides overlap their round trips alike.
        partitionsConsumedConcurrently: 3,
        eachBatch: async ({ batch }) => {
          if (first === 0) first = performance.now();
          const copies = batch.messages.map((m) => ({ key: m.key, value: m.value }));
          // Requests of 1,000 records, as the joiner sends: a whole fetched batch can exceed the broker's limit.
          for (let i = 0; i < copies.length; i += 1000) {
            await producer.send({ topic: out, acks: -1, messages: copies.slice(i, i + 1000) });
          }
          seen += batch.messages.length;
          if (seen >= messages) resolve(performance.now());
        },
      })
      .catch(reject);
  });
  const end = await done;
  await consumer.disconnect();
  await producer.disconnect();
  return seen / ((end - first) / 1000);
}

async function cleanup(env: Record<string, string>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(env.DRIFTLINE_TOPIC_PREFIX!));
  await admin.deleteTopics({ topics: mine }).catch(() => undefined);
  await admin.disconnect();
  await fetch(
    `http://127.0.0.1:8123/?query=${encodeURIComponent(`DROP DATABASE IF EXISTS ${env.DRIFTLINE_CLICKHOUSE_DATABASE!}`)}`,
    { method: 'POST' },
  );
}

const f0 = (n: number) => n.toFixed(0);
const mem = (m: Memory) =>
  `${f0(m.rssMb)} (${f0(m.anonMb)} + ${f0(m.fileMb)}) | ${f0(m.heapUsedMb)} / ${f0(m.heapTotalMb)}`;

function printTable(results: RunResult[], copy: number): void {
  console.log(
    '\n| pending predictions | joins/s | joiner CPU µs/join | input msgs/s | vs plain copy | RSS after the pairs, MB (anon + file) | V8 heap used / total, MB | RSS right after storing the pending, MB | V8 heap used / total, MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const input = 2 * r.joinsPerSecond;
    console.log(
      `| ${r.pending} | ${f0(r.joinsPerSecond)} | ${f0(r.cpuMicrosPerJoin)} | ${f0(input)} | ${(input / copy).toFixed(2)} | ${mem(r.memory)} | ${mem(r.afterPreload)} |`,
    );
  }
  if (results.length < 2) return;
  const [a, b] = [results[0]!, results[results.length - 1]!];
  const d = (x: Memory, y: Memory) =>
    `RSS ${f0(y.rssMb - x.rssMb)} MB, V8 heap used ${f0(y.heapUsedMb - x.heapUsedMb)} MB`;
  console.log(`\n${b.pending} vs ${a.pending} pending (goal: RSS within 100 MB):`);
  console.log(`  after the same ${PAIRS} pairs: ${d(a.memory, b.memory)}`);
  console.log(
    `  right after storing them (the 1M process has decoded 100x more events): ${d(a.afterPreload, b.afterPreload)}`,
  );
}

async function main(): Promise<void> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'bench-joiner-'));
  const results: RunResult[] = [];
  try {
    for (const pending of PENDING) {
      console.log(`label joiner, ${pending} pending predictions, ${PAIRS} pairs:`);
      results.push(await run(pending, stateDir));
      const r = results[results.length - 1]!;
      console.log(
        `  ${Math.round(r.joinsPerSecond)} joins/s (${r.cpuMicrosPerJoin.toFixed(0)} µs joiner CPU per join); RSS ${r.memory.rssMb.toFixed(0)} MB (anon ${r.memory.anonMb.toFixed(0)}, file ${r.memory.fileMb.toFixed(0)}, peak ${r.memory.peakMb.toFixed(0)})`,
      );
    }
    const copy = await baseline(results[0]!.env, PENDING[0]! + 2 * PAIRS);
    console.log(`\nplain consume-and-produce (kafkajs, same input): ${Math.round(copy)} messages/s`);
    console.log(
      `load average now: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (2 cores; above ~2 the figures are disturbed)`,
    );
    printTable(results, copy);
  } finally {
    for (const c of children) await c.stop('SIGKILL');
    // BENCH_LOG_DIR=/tmp/x keeps the joiners' logs (with BENCH_JOINER_LOG_LEVEL=debug: per-batch timings).
    const logDir = process.env.BENCH_LOG_DIR;
    if (logDir) children.forEach((c, i) => writeFileSync(path.join(logDir, `joiner-${i}.log`), c.logs()));
    for (const env of envs) await cleanup(env).catch(() => undefined);
    await rm(stateDir, { recursive: true, force: true });
  }
}

await main();
