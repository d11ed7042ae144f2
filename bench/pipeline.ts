// End-to-end benchmark of the whole pipeline on this machine, every server and service on it:
//   npx tsx bench/pipeline.ts [predictions=150000]
// Starts `driftline up` with default settings in its own run folder, topic prefix and database (beside the
// servers if they run, else starting them), produces a realistic stream as fast as kafkajs goes (Avro, three
// models with 20 numeric features and one categorical, labels for 90% of predictions 1-61 s later in event
// time, the third model's x0 shifted by one standard deviation half way), and times each stage until it holds
// everything: the sink's inference_log rows, the joiner's pairs in labeled_predictions, the performance
// monitor's 5-minute windows. It reports events/s end to end and per stage, CPU seconds per 1,000 events
// for each service and server (from /proc, over the run), each service's peak RSS, and, as the floor, a
// plain kafkajs consume of the same two topics. Stream generation and encoding happen before the clock starts.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@clickhouse/client';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { topicNames } from '../services/core/src/config/topics.ts';
import { classifierTraffic } from '../services/simulator/src/classifier-traffic.ts';
import { avroEncoder } from './lib/avro-encoder.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PREDICTIONS = Number(process.argv[2] ?? 150_000);
const BROKERS = process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092';
const REGISTRY = process.env.DRIFTLINE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const CLICKHOUSE = process.env.DRIFTLINE_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const T0 = Date.parse('2026-06-01T00:00:00Z');
const MODELS = 3;
const id = randomBytes(4).toString('hex');
const runDir = mkdtempSync(path.join(tmpdir(), 'driftline-pipeline-bench-'));
const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  DRIFTLINE_RUN_DIR: runDir,
  DRIFTLINE_STATE_DIR: path.join(runDir, 'state'),
  DRIFTLINE_TOPIC_PREFIX: `pipe${id}.`,
  DRIFTLINE_CLICKHOUSE_DATABASE: `pipe_${id}`,
  DRIFTLINE_SERVICES_BASE_PORT: String(37_000 + Math.floor(Math.random() * 1_000) * 5),
};
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
const ch = createClient({ url: CLICKHOUSE, database: env.DRIFTLINE_CLICKHOUSE_DATABASE });

const cli = (...args: string[]) =>
  execFileSync(path.join(ROOT, 'bin', 'driftline'), args, { cwd: ROOT, env, encoding: 'utf8' });

/** Every process measured: the services `driftline up` supervises and the three servers. */
function processes(): Map<string, number> {
  const supervised = JSON.parse(readFileSync(path.join(runDir, 'services', 'supervisor.json'), 'utf8'))
    .services as { name: string; pid: number | null }[];
  const out = new Map(supervised.filter((s) => s.pid).map((s) => [s.name, s.pid!]));
  const status = execFileSync('bash', [path.join(ROOT, 'infra', 'stack.sh'), 'status'], { encoding: 'utf8' });
  for (const m of status.matchAll(/^(\w+)\s+running\s+pid (\d+)/gm))
    out.set(`${m[1]} (server)`, Number(m[2]));
  return out;
}

/** CPU seconds (user + system) of a process and its children so far. */
function cpuSeconds(pid: number): number {
  if (!existsSync(`/proc/${pid}/stat`)) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = [11, 12, 13, 14].reduce((s, i) => s + Number(fields[i]), 0);
  return ticks / 100;
}

/** Peak RSS in MB; NaN for a process that is gone (a server restarted during the run). */
function peakRssMb(pid: number): number {
  try {
    return Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

interface Stream {
  inference: Message[];
  truth: Message[];
}

/** The whole stream, encoded: per model, predictions 100 ms apart; 90% of them labeled. */
async function buildStream(): Promise<Stream> {
  const encode = await avroEncoder(env.DRIFTLINE_TOPIC_PREFIX!, REGISTRY);
  const perModel = Math.ceil(PREDICTIONS / MODELS);
  const stream: Stream = { inference: [], truth: [] };
  for (let m = 0; m < MODELS; m++) {
    const traffic = (shift: number, seed: number, startMs: number, idPrefix: string) =>
      classifierTraffic({
        modelId: `model-${m}`,
        modelVersion: 'v1',
        numericFeatures: 20,
        shift,
        seed,
        startMs,
        idPrefix,
      });
    const half = Math.floor(perModel / 2);
    const first = traffic(0, m + 1, T0, `m${m}a`);
    const second = traffic(m === 2 ? 1 : 0, m + 11, T0 + half * 100, `m${m}b`);
    for (let i = 0; i < perModel; i++) {
      const { inference, truth } = (i < half ? first : second).next().value!;
      stream.inference.push({
        key: inference.prediction_id,
        value: encode('inference', inference),
      });
      if (i % 10 !== 9)
        stream.truth.push({
          key: truth.prediction_id,
          value: encode('truth', truth),
        });
    }
  }
  return stream;
}

/** Produces both topics in step, chunk by chunk (labels of a chunk after its predictions), a few in flight. */
async function produce(stream: Stream): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const chunk = 5_000;
  const inFlight: Promise<unknown>[] = [];
  const ratio = stream.truth.length / stream.inference.length;
  for (let i = 0; i < stream.inference.length; i += chunk) {
    const labels = stream.truth.slice(Math.floor(i * ratio), Math.floor((i + chunk) * ratio));
    inFlight.push(producer.send({ topic: topics.inference, messages: stream.inference.slice(i, i + chunk) }));
    inFlight.push(producer.send({ topic: topics.groundTruth, messages: labels }));
    if (inFlight.length >= 4) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  await producer.disconnect();
}

async function count(query: string): Promise<number> {
  try {
    const rows = (await (await ch.query({ query, format: 'JSONEachRow' })).json()) as { n: string }[];
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0; // table not there yet
  }
}

const STAGES = [
  { name: 'sink: inference_log', query: 'SELECT count() AS n FROM inference_log FINAL', of: 'inference' },
  {
    name: 'joiner: labeled_predictions',
    query: 'SELECT count() AS n FROM labeled_predictions FINAL',
    of: 'truth',
  },
  {
    name: 'performance monitor: 5m windows',
    query:
      "SELECT sum(sample_count) AS n FROM performance_metrics FINAL WHERE window_size = '5m' AND metric = 'accuracy' AND segment = ''",
    of: 'truth',
  },
] as const;

/** Seconds from `start` until each stage holds its whole input. */
async function stageTimes(start: number, stream: Stream): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  const deadline = start + 900_000;
  while (done.size < STAGES.length && performance.now() < deadline) {
    for (const s of STAGES) {
      if (done.has(s.name)) continue;
      if ((await count(s.query)) >= stream[s.of].length) done.set(s.name, (performance.now() - start) / 1000);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return done;
}

/** The floor: a plain kafkajs consumer reading both topics to their end, no work per message. */
async function plainConsume(total: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-floor-${id}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.inference, topics.groundTruth], fromBeginning: true });
  let seen = 0;
  let start = 0;
  const finished = new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (start === 0) start = performance.now();
        seen += batch.messages.length;
        if (seen >= total) resolve((performance.now() - start) / 1000);
      },
    });
  });
  const seconds = await finished;
  await consumer.disconnect();
  return seconds;
}

console.log(`building ${PREDICTIONS} predictions (3 models, 21 features) and their labels...`);
const stream = await buildStream();
const events = stream.inference.length + stream.truth.length;
cli('up');
try {
  const pids = processes();
  const cpuBefore = new Map([...pids].map(([name, pid]) => [name, cpuSeconds(pid)]));
  const load = loadavg()[0]!.toFixed(1);
  const start = performance.now();
  await produce(stream);
  const producedIn = (performance.now() - start) / 1000;
  const times = await stageTimes(start, stream);
  const cpu = new Map([...pids].map(([name, pid]) => [name, cpuSeconds(pid) - cpuBefore.get(name)!]));
  const floor = await plainConsume(events);
  const last = Math.max(...times.values());
  console.log(
    `\n${stream.inference.length} predictions + ${stream.truth.length} labels = ${events} events; load average at start ${load}`,
  );
  console.log(`produced in ${producedIn.toFixed(1)} s (${Math.round(events / producedIn)} events/s)`);
  console.log('stage                               holds everything after   events/s');
  for (const s of STAGES) {
    const t = times.get(s.name);
    console.log(
      `${s.name.padEnd(36)}${t === undefined ? 'not within 900 s' : `${t.toFixed(1)} s`.padStart(10)}   ${t ? Math.round(stream[s.of].length / t) : '-'}`,
    );
  }
  if (times.size === STAGES.length)
    console.log(
      `END TO END                          ${`${last.toFixed(1)} s`.padStart(10)}   ${Math.round(events / last)}`,
    );
  console.log(
    `floor: plain kafkajs consume of both topics ${floor.toFixed(1)} s (${Math.round(events / floor)} events/s)`,
  );
  console.log('\nprocess                 CPU s   CPU s per 1,000 events   peak RSS MB');
  for (const [name, pid] of pids) {
    const s = cpu.get(name)!;
    console.log(
      `${name.padEnd(22)}${s.toFixed(1).padStart(7)}${((s * 1000) / events).toFixed(3).padStart(25)}${peakRssMb(pid).toFixed(0).padStart(14)}`,
    );
  }
} finally {
  cli('down', '--keep-servers');
  await ch
    .command({ query: `DROP DATABASE IF EXISTS ${env.DRIFTLINE_CLICKHOUSE_DATABASE}` })
    .catch(() => undefined);
  await ch.close();
}
