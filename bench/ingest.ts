// Benchmark (not a test) of the HTTP ingest on the real local stack (`bash infra/stack.sh start` first):
//   npx tsx bench/ingest.ts [events=50000] [batch=500] [clients=4]
// Starts `driftline ingest` as its own process on fresh topics, posts `events` inference events as JSON batches
// of `batch` from `clients` concurrent clients, and reports events/s (first request sent to last 202) and the
// latency of a request (p50, p99, max), then checks that the topic holds every event (the end offsets' sum).
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { topicNames } from '../services/core/src/config/topics.ts';
import type { InferenceEvent } from '../services/core/src/records/records.generated.ts';
import { classifierTraffic, take } from '../services/simulator/src/classifier-traffic.ts';
import { createClient } from '@clickhouse/client';
import { startServiceProcess, waitReady } from '../test/integration/utils/service-process.ts';
import { randomServicePort } from '../test/integration/utils/ports.ts';

const EVENTS = Number(process.argv[2] ?? 50_000);
const BATCH = Number(process.argv[3] ?? 500);
const CLIENTS = Number(process.argv[4] ?? 4);
const BROKERS = process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092';
const id = randomBytes(4).toString('hex');
const TOKEN = randomBytes(16).toString('hex');
const PORT = randomServicePort();
const env = {
  DRIFTLINE_KAFKA_BROKERS: BROKERS,
  DRIFTLINE_TOPIC_PREFIX: `bench${id}.`,
  DRIFTLINE_CLICKHOUSE_DATABASE: `bench_${id}`,
  DRIFTLINE_INGEST_TOKEN: TOKEN,
  DRIFTLINE_INGEST_PORT: String(PORT),
  DRIFTLINE_INGEST_MAX_BODY_BYTES: String(8 * 1024 * 1024),
  DRIFTLINE_LOG_LEVEL: 'info', // the start-up line names the health port waitReady reads
};

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function postAll(bodies: string[]): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const client = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const start = performance.now();
      const r = await fetch(`http://127.0.0.1:${PORT}/v1/inference`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      const answer = (await r.json()) as { accepted?: number };
      if (r.status !== 202) throw new Error(`status ${r.status}: ${JSON.stringify(answer)}`);
      latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return latencies;
}

async function topicEventCount(topic: string): Promise<number> {
  const admin = new Kafka({
    clientId: 'bench',
    brokers: BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets.reduce((s, o) => s + Number(o.high) - Number(o.low), 0);
}

async function main(): Promise<void> {
  const events: InferenceEvent[] = take(
    EVENTS,
    classifierTraffic({ modelId: 'bench', modelVersion: 'v1', startMs: Date.parse('2026-06-01T00:00:00Z') }),
  ).map((p) => p.inference);
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += BATCH) bodies.push(JSON.stringify(events.slice(i, i + BATCH)));
  const ingest = startServiceProcess('ingest', env);
  try {
    await waitReady(ingest);
    await postAll(bodies.slice(0, 2)); // warm-up: connections, codecs, JIT (its events count in the topic too)
    const start = performance.now();
    const latencies = (await postAll(bodies)).sort((a, b) => a - b);
    const seconds = (performance.now() - start) / 1000;
    const onTopic = await topicEventCount(topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX }).inference);
    const warm = Math.min(EVENTS, 2 * BATCH);
    console.log(
      JSON.stringify({
        events: EVENTS,
        batch: BATCH,
        clients: CLIENTS,
        events_per_s: Math.round(EVENTS / seconds),
        request_ms: {
          p50: +quantile(latencies, 0.5).toFixed(1),
          p99: +quantile(latencies, 0.99).toFixed(1),
          max: +latencies.at(-1)!.toFixed(1),
        },
        on_topic: onTopic,
        all_on_topic: onTopic === EVENTS + warm,
        load_avg_1m: +loadavg()[0]!.toFixed(2),
      }),
    );
  } finally {
    await ingest.stop();
    const ch = createClient({ url: process.env.DRIFTLINE_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123' });
    await ch.command({ query: `DROP DATABASE IF EXISTS ${env.DRIFTLINE_CLICKHOUSE_DATABASE}` });
    await ch.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
