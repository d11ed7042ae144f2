// Benchmark (not a test) of the performance monitor, 10 classes with class scores:
//   npx tsx bench/performance-monitor.ts [events=300000]
// 1. The pure processor: process + flush (rows and changelog serialised) in batches of 5,000.
// 2. The service over the real local stack (`bash infra/stack.sh start` first): `events` joined predictions
//    are published to a fresh topic, then the service consumes them (ClickHouse rows, changelog transactions,
//    offsets); labeled events/s from ready to the last commit, per-batch latency from its histogram, memory.
// 3. A plain kafkajs consume of the same topic (no processing, no commits): the client's ceiling, for the ratio.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig, loadSettings } from '../services/core/src/config/load.ts';
import { topicNames } from '../services/core/src/config/topics.ts';
import { ensureTopics, topicSpecs } from '../services/core/src/kafka/topics.ts';
import type { JoinedPrediction } from '../services/core/src/records/records.generated.ts';
import { readSchema } from '../services/core/src/records/schema-files.ts';
import { SchemaRegistryClient } from '../services/core/src/serde/schema-registry.ts';
import { withHeader } from '../services/core/src/serde/wire-format.ts';
import { resolveProcessorOptions } from '../services/performance-monitor/src/options.ts';
import { PerformanceProcessor } from '../services/performance-monitor/src/processor.ts';
import { PERFORMANCE_SETTINGS } from '../services/performance-monitor/src/settings.ts';
import { joinedStream } from '../test/unit/performance-monitor/stream.ts';
import { startServiceProcess, waitReady } from '../test/integration/utils/service-process.ts';

const EVENTS = Number(process.argv[2] ?? 300_000);
const BATCH = 5000;
const BROKERS = process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092';
const REGISTRY = process.env.DRIFTLINE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const T0 = Date.parse('2026-06-01T00:00:00Z');
const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** One classifier, one version, 10 classes with scores; 100 predictions per second of event time. */
function stream(n: number): JoinedPrediction[] {
  return joinedStream(n, { startMs: T0, stepMs: 10, maxDisorderMs: 60_000, classes: 10, classifiers: 1 }).map(
    (r) => ({
      ...r,
      model_version: 'v1',
    }),
  );
}

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms`;
}

function benchProcessor(records: JoinedPrediction[], segmentTags: string): void {
  const env = { DRIFTLINE_PERF_SEGMENT_TAGS: segmentTags };
  const options = resolveProcessorOptions(loadSettings(PERFORMANCE_SETTINGS, env), loadConfig(env));
  // Warm-up on a separate processor: let the JIT settle before timing.
  const warmUp = new PerformanceProcessor(options);
  records.slice(0, 20_000).forEach((r) => warmUp.process(r));
  warmUp.flush(1, '1');
  const p = new PerformanceProcessor(options);
  const latencies: number[] = [];
  let rows = 0;
  let changelog = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < records.length; i += BATCH) {
    const t = performance.now();
    for (let k = i; k < Math.min(i + BATCH, records.length); k++) p.process(records[k]!);
    const f = p.flush(i + BATCH, String(i + BATCH));
    rows += f.metricRows.length + f.bucketRows.length;
    changelog += f.changelog.reduce((s, e) => s + (e.value?.length ?? 0), 0);
    latencies.push(performance.now() - t);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const m = process.memoryUsage();
  console.log(
    `processor (windows 5m,1h,1d, rolling 1000, segments: ${segmentTags || 'none'}): ` +
      `${Math.round(records.length / seconds).toLocaleString('en')} labeled events/s ` +
      `(${Math.round(records.length / cpuSeconds).toLocaleString('en')} per CPU second); per ${BATCH}-event batch ${percentiles(latencies)}; ` +
      `${rows.toLocaleString('en')} rows, ${mb(changelog)} MB changelog; RSS ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} MB`,
  );
}

async function publish(topic: string, records: JoinedPrediction[]): Promise<void> {
  const registry = new SchemaRegistryClient({ url: REGISTRY });
  const id = await registry.register(`${topic}-value`, readSchema('JoinedPrediction'));
  const type = avro.Type.forSchema(readSchema('JoinedPrediction') as avro.Schema);
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < records.length; i += 2000) {
    const messages = records
      .slice(i, i + 2000)
      .map((r) => ({ key: r.model_id, value: withHeader(id, type.toBuffer(r)) }));
    await producer.send({ topic, acks: 1, messages });
  }
  await producer.disconnect();
}

async function committedAll(groupId: string, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [group] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map(group?.partitions.map((p) => [p.partition, p.offset]) ?? []);
    return ends.every((e) => e.high === '0' || at.get(e.partition) === e.high);
  } finally {
    await admin.disconnect();
  }
}

/** Percentiles from a Prometheus histogram's cumulative buckets (upper bounds). */
function histogramPercentiles(text: string, name: string): string {
  const buckets = [
    ...text.matchAll(new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\S+)`, 'gm')),
  ].map((m) => [Number(m[1]), Number(m[2])] as const);
  const total = buckets[buckets.length - 1]?.[1] ?? 0;
  const at = (q: number) => buckets.find(([, n]) => n >= q * total)?.[0] ?? NaN;
  return `${total} batches, p50 ≤ ${at(0.5) * 1000} ms, p95 ≤ ${at(0.95) * 1000} ms, p99 ≤ ${at(0.99) * 1000} ms`;
}

async function benchService(env: Record<string, string>, topic: string): Promise<number> {
  const service = startServiceProcess('performance-monitor', env);
  try {
    const port = await waitReady(service, 120_000);
    const cpuAt = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^driftline_process_process_cpu_seconds_total\{[^}]*\} (\S+)/m.exec(text)?.[1] ?? NaN);
    };
    const cpuStart = await cpuAt();
    const started = performance.now();
    while (!(await committedAll(env.DRIFTLINE_PERF_GROUP_ID!, topic)))
      await new Promise((r) => setTimeout(r, 200));
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = (await cpuAt()) - cpuStart;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const gauge = (name: string) =>
      Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
    const status = readFileSync(`/proc/${service.child.pid}/status`, 'utf8');
    const peak = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? NaN) * 1024;
    console.log(
      `service over Kafka + ClickHouse: ${Math.round(EVENTS / seconds).toLocaleString('en')} labeled events/s ` +
        `(${seconds.toFixed(1)} s from ready to last commit; ${Math.round(EVENTS / cpuSeconds).toLocaleString('en')} per CPU second of the service); batches: ${histogramPercentiles(text, 'driftline_batch_duration_seconds')}; ` +
        `RSS ${mb(gauge('driftline_process_process_resident_memory_bytes'))} MB (peak ${mb(peak)}), heap ${mb(gauge('driftline_process_nodejs_heap_size_used_bytes'))} MB`,
    );
    return EVENTS / seconds;
  } finally {
    await service.stop();
  }
}

async function plainConsume(topic: string): Promise<number> {
  const consumer = kafka.consumer({
    groupId: `bench-plain-${randomBytes(4).toString('hex')}`,
    maxBytesPerPartition: 4 * 1024 * 1024,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let first = 0;
  const end = await new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch }) => {
        if (first === 0) first = performance.now();
        seen += batch.messages.length;
        if (seen >= EVENTS) resolve(performance.now());
      },
    });
  });
  await consumer.disconnect();
  const rate = seen / ((end - first) / 1000);
  console.log(
    `plain kafkajs consume of the same topic (no processing): ${Math.round(rate).toLocaleString('en')} events/s`,
  );
  return rate;
}

async function main(): Promise<void> {
  const records = stream(EVENTS);
  benchProcessor(records.slice(0, Math.min(records.length, 200_000)), '');
  benchProcessor(records.slice(0, Math.min(records.length, 200_000)), 'region');
  const id = randomBytes(4).toString('hex');
  const env: Record<string, string> = {
    DRIFTLINE_KAFKA_BROKERS: BROKERS,
    DRIFTLINE_SCHEMA_REGISTRY_URL: REGISTRY,
    DRIFTLINE_CLICKHOUSE_URL: process.env.DRIFTLINE_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
    DRIFTLINE_TOPIC_PREFIX: `bench${id}.`,
    DRIFTLINE_CLICKHOUSE_DATABASE: `bench_${id}`,
    DRIFTLINE_PERF_GROUP_ID: `bench-perf-${id}`,
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    // e.g. BENCH_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the service.
    ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
  };
  const config = loadConfig(env);
  const topic = topicNames(config).joined;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicSpecs(config));
  try {
    const t = performance.now();
    await publish(topic, records);
    console.log(
      `published ${EVENTS.toLocaleString('en')} joined predictions in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const plain = await plainConsume(topic);
    const service = await benchService(env, topic);
    console.log(`service / plain consume: ${(service / plain).toFixed(2)}`);
  } finally {
    const mine = (await admin.listTopics()).filter((x) => x.startsWith(env.DRIFTLINE_TOPIC_PREFIX!));
    await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
    const drop = `DROP DATABASE IF EXISTS ${env.DRIFTLINE_CLICKHOUSE_DATABASE!}`;
    await fetch(`${config.clickhouseUrl}/?query=${encodeURIComponent(drop)}`, { method: 'POST' });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
