// The sink alone over the real local Kafka and ClickHouse:
//   npx tsx bench/sink.ts [predictions=100000] [runs=1] [live|backlog]
// Starts the sink as `driftline up` runs it (node with the services' flags) with its own topic
// prefix, consumer group and database, waits until it is ready, then produces a pre-encoded Avro stream as
// fast as kafkajs goes: three models with 20 numeric features and one categorical, labels for 90% of the
// predictions (`backlog`: produced while the sink is paused, which then catches up as fast as it can, the way
// it does behind a busy pipeline). It times the sink until inference_log and ground_truth hold every event,
// and reports CPU ms per 1,000 events of the sink and of the ClickHouse server (both from /proc, over that
// span, so ClickHouse's merges of those seconds are in; the server's figure counts its other clients too), the
// sink's peak RSS and rows per insert, and checks the rows are exactly the events (FINAL).
// Settings of the sink (DRIFTLINE_SINK_BATCH_SIZE, ...) pass through from the environment; BENCH_SINK_NODE_ARGS
// adds node flags to the sink's process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@clickhouse/client';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { topicNames } from '../services/core/src/config/topics.ts';
import { serviceArgs } from '../services/core/src/runtime/service-command.ts';
import { classifierTraffic } from '../services/simulator/src/classifier-traffic.ts';
import { avroEncoder } from './lib/avro-encoder.ts';
import { cpuSeconds, peakRssMb, serverPids } from './lib/process-stats.ts';
import { produceFlatOut } from './pipeline/stream.ts';
import { randomServicePort } from '../test/integration/utils/ports.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PREDICTIONS = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 1);
const BACKLOG = process.argv[4] === 'backlog';
const BROKERS = process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092';
const REGISTRY = process.env.DRIFTLINE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const CLICKHOUSE = process.env.DRIFTLINE_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const T0 = Date.parse('2026-06-01T00:00:00Z');
const MODELS = 3;
const nodeArgs = (process.env.BENCH_SINK_NODE_ARGS ?? '').split(' ').filter(Boolean);

const kafka = new Kafka({ clientId: 'bench-sink', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
const ch = createClient({ url: CLICKHOUSE });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The local ClickHouse server's pid. */
function clickhousePid(): number {
  const pid = serverPids(ROOT).get('clickhouse');
  if (!pid) throw new Error('no running ClickHouse (bash infra/stack.sh status)');
  return pid;
}

/** The stream, encoded under `prefix`: per model, predictions 100 ms apart; 90% of them labeled. */
async function buildStream(prefix: string): Promise<{ inference: Message[]; truth: Message[] }> {
  const encode = await avroEncoder(prefix, REGISTRY);
  const stream = { inference: [] as Message[], truth: [] as Message[] };
  const perModel = Math.ceil(PREDICTIONS / MODELS);
  for (let m = 0; m < MODELS; m++) {
    const traffic = classifierTraffic({
      modelId: `model-${m}`,
      modelVersion: 'v1',
      numericFeatures: 20,
      seed: m + 1,
      startMs: T0,
      idPrefix: `m${m}`,
    });
    for (let i = 0; i < perModel; i++) {
      const { inference, truth } = traffic.next().value!;
      stream.inference.push({ key: inference.prediction_id, value: encode('inference', inference) });
      if (i % 10 !== 9) stream.truth.push({ key: truth.prediction_id, value: encode('truth', truth) });
    }
  }
  return stream;
}

async function count(db: string, table: string, final = false): Promise<number> {
  try {
    const query = `SELECT count() AS n FROM ${db}.${table}${final ? ' FINAL' : ''}`;
    const rows = (await (await ch.query({ query, format: 'JSONEachRow' })).json()) as { n: string }[];
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0;
  }
}

async function waitReady(port: number, sink: ChildProcess): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (sink.exitCode !== null) throw new Error(`the sink exited with ${sink.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(250);
  }
  throw new Error('the sink was not ready within 180 s');
}

interface RunResult {
  seconds: number;
  events: number;
  sinkCpu: number;
  clickhouseCpu: number;
  peakRssMb: number;
  exact: boolean;
  load: number;
  /** Mean rows per inference_log and ground_truth insert (one insert per topic of each handled fetch). */
  rowsPerInsert: string;
}

/** Mean rows per insert of each input topic, from the sink's own metrics (events in / batches handled). */
async function rowsPerInsert(port: number, topics: string[]): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (name: string, topic: string) =>
    [
      ...text.matchAll(
        new RegExp(`^${name}\\{[^}]*topic="${topic.replace('.', '\\.')}"[^}]*\\} (\\S+)$`, 'gm'),
      ),
    ]
      .map((m) => Number(m[1]))
      .reduce((a, b) => a + b, 0);
  return topics
    .map((t) =>
      Math.round(sum('driftline_events_in_total', t) / sum('driftline_batch_duration_seconds_count', t)),
    )
    .join('/');
}

async function run(): Promise<RunResult> {
  const id = randomBytes(4).toString('hex');
  const prefix = `sinkbench${id}.`;
  const db = `sinkbench_${id}`;
  const topics = topicNames({ topicPrefix: prefix });
  const stream = await buildStream(prefix);
  const events = stream.inference.length + stream.truth.length;
  const port = randomServicePort();
  const sink = spawn(process.execPath, serviceArgs('sink', nodeArgs), {
    cwd: ROOT,
    env: {
      ...process.env,
      DRIFTLINE_TOPIC_PREFIX: prefix,
      DRIFTLINE_CLICKHOUSE_DATABASE: db,
      DRIFTLINE_SINK_GROUP_ID: `sinkbench-${id}`,
      DRIFTLINE_HTTP_PORT: String(port),
      DRIFTLINE_STATE_DIR: path.join(tmpdir(), `sinkbench-${id}`),
      DRIFTLINE_LOG_LEVEL: process.env.DRIFTLINE_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitReady(port, sink);
    await sleep(3_000); // the group's first join and fetch settle before the clock starts
    const chPid = clickhousePid();
    // backlog: the sink is paused while the stream is produced, then reads it all as fast as it can
    if (BACKLOG) {
      sink.kill('SIGSTOP');
      await produceFlatOut(kafka, topics, stream);
    }
    const before = { sink: cpuSeconds(sink.pid!), clickhouse: cpuSeconds(chPid) };
    const load = loadavg()[0]!;
    const start = performance.now();
    if (BACKLOG) sink.kill('SIGCONT');
    else await produceFlatOut(kafka, topics, stream);
    const deadline = start + 600_000;
    while (performance.now() < deadline) {
      const [i, t] = await Promise.all([count(db, 'inference_log'), count(db, 'ground_truth')]);
      if (i >= stream.inference.length && t >= stream.truth.length) break;
      await sleep(200);
    }
    const seconds = (performance.now() - start) / 1000;
    const sinkCpu = cpuSeconds(sink.pid!) - before.sink;
    const clickhouseCpu = cpuSeconds(chPid) - before.clickhouse;
    // A batch written twice (an insert retried after its connection broke, which the server had taken)
    // brings the plain counts to the events early: the rows still in flight land within seconds.
    let exact = false;
    for (let tries = 0; tries < 50 && !exact; tries++) {
      if (tries > 0) await sleep(200);
      exact =
        (await count(db, 'inference_log', true)) === stream.inference.length &&
        (await count(db, 'ground_truth', true)) === stream.truth.length;
    }
    if (!exact)
      console.error(
        `not exact: inference_log ${await count(db, 'inference_log', true)} (FINAL) of ${stream.inference.length}, ground_truth ${await count(db, 'ground_truth', true)} (FINAL) of ${stream.truth.length}`,
      );
    const perInsert = await rowsPerInsert(port, [topics.inference, topics.groundTruth]);
    return {
      seconds,
      events,
      sinkCpu,
      clickhouseCpu,
      peakRssMb: peakRssMb(sink.pid!),
      exact,
      load,
      rowsPerInsert: perInsert,
    };
  } finally {
    sink.kill('SIGTERM');
    await new Promise((r) => (sink.exitCode !== null ? r(undefined) : sink.once('exit', r)));
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` }).catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  }
}

const perThousand = (cpu: number, events: number) => ((cpu * 1e6) / events).toFixed(1);
console.log(
  `sink benchmark: ${PREDICTIONS} predictions + 90% labels, ${BACKLOG ? 'a backlog' : 'live'}, batch size ${process.env.DRIFTLINE_SINK_BATCH_SIZE ?? 'default'}`,
);
console.log(
  'run   events   seconds   events/s   sink CPU ms/1k   ClickHouse CPU ms/1k   sink peak RSS MB   exact   load   rows/insert (inference/labels)',
);
for (let r = 1; r <= RUNS; r++) {
  const x = await run();
  console.log(
    `${String(r).padEnd(4)}${String(x.events).padStart(8)}${x.seconds.toFixed(1).padStart(10)}${String(Math.round(x.events / x.seconds)).padStart(11)}${perThousand(x.sinkCpu, x.events).padStart(17)}${perThousand(x.clickhouseCpu, x.events).padStart(23)}${x.peakRssMb.toFixed(0).padStart(19)}${String(x.exact).padStart(8)}${x.load.toFixed(1).padStart(7)}   ${x.rowsPerInsert}`,
  );
  if (!x.exact) process.exitCode = 1;
}
await ch.close();
