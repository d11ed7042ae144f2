// The throughput run: the whole stream produced as fast as librdkafka goes into a fresh default `driftline up`,
// timing each stage until it holds everything, with each process's CPU over the run; then, services stopped,
// the floor on the same topics.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { avroEncoder } from '../lib/avro-encoder.ts';
import type { Deployment } from './deployment.ts';
import { REGISTRY, ROOT } from './deployment.ts';
import { consumeAndInsert } from './floor.ts';
import { cpuSince, cpuSnapshot, measuredProcesses, peakRssMb } from '../lib/process-stats.ts';
import { LibrdkafkaProducer } from './librdkafka-producer.ts';
import { buildStream, flatOutOrder, type Stream } from './stream.ts';

/**
 * Each stage's count of what it holds (`query`, with FINAL: duplicates count once) and a cheap upper bound of it
 * (the same without FINAL: every stored row version counts, so it is never below), polled every 100 ms (the
 * figures' resolution); the FINAL query, which merges the table as it reads, only runs once the bound is
 * reached, so the polling is not a load on ClickHouse during the run (it was 4 FINAL reads a second).
 */
export const STAGES = [
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
    late: true,
  },
] as const;

/**
 * Pairs the performance monitor counted late (older than their model's stream time less the allowed lateness: in
 * no window, counted in driftline_perf_late_dropped_total). The whole stream, 83 minutes of event time per model,
 * reaches Kafka in about a second; the joiner's partition tasks each emit a model's pairs in their own order, so
 * one task's pairs can reach the performance monitor after another's an hour of event time later (a backfill's
 * skew, beyond the 60-minute default lateness; live traffic has none). Such a pair is accounted for, not held.
 */
async function lateDropped(d: Deployment): Promise<number> {
  try {
    const port = readFileSync(path.join(d.runDir, 'services', 'performance-monitor.port'), 'utf8').trim();
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return Number(/^driftline_perf_late_dropped_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

export interface ProcessFigures {
  cpuSeconds: number;
  peakRssMb: number;
}

export interface ThroughputResult {
  predictions: number;
  labels: number;
  load: number;
  producedIn: number;
  /** CPU seconds of the load generator (librdkafka's process) while it produced. */
  producerCpuSeconds: number;
  /** Seconds from the first produce until each stage held its whole input (missing: not within 900 s). */
  stages: Map<string, number>;
  /** Labeled pairs the performance monitor counted late, which its windows do not hold (see lateDropped). */
  lateDropped: number;
  processes: Map<string, ProcessFigures>;
  floor: { seconds: number; cpuSeconds: Map<string, number> };
}

async function count(d: Deployment, query: string): Promise<number> {
  try {
    const rows = (await (await d.ch.query({ query, format: 'JSONEachRow' })).json()) as { n: string }[];
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0; // table not there yet
  }
}

/** When each stage held its input (the performance monitor's: all but the pairs it counted late), and those. */
async function stageTimes(
  d: Deployment,
  start: number,
  stream: Stream,
): Promise<{ done: Map<string, number>; late: number }> {
  const done = new Map<string, number>();
  const deadline = start + 900_000;
  let late = 0;
  while (done.size < STAGES.length && performance.now() < deadline) {
    for (const s of STAGES) {
      if (done.has(s.name)) continue;
      // The late count is read only once the joiner has written every pair (before that a stage short of its
      // input is still working), so the monitor is not scraped ten times a second during the run.
      const lateHere = 'late' in s && done.has(STAGES[1].name) ? await lateDropped(d) : 0;
      const n = stream[s.of].length - lateHere;
      if ((await count(d, s.query.replace(' FINAL', ''))) >= n && (await count(d, s.query)) >= n) {
        done.set(s.name, (performance.now() - start) / 1000);
        late += lateHere;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { done, late };
}

export async function runThroughput(d: Deployment, predictions: number): Promise<ThroughputResult> {
  const stream = buildStream(await avroEncoder(d.env.DRIFTLINE_TOPIC_PREFIX!, REGISTRY), predictions);
  const events = stream.inference.length + stream.truth.length;
  d.up();
  const producer = await LibrdkafkaProducer.prepare(d.runDir, 'throughput', d.topics, flatOutOrder(stream));
  const pids = measuredProcesses(ROOT, d.runDir);
  const before = cpuSnapshot(pids);
  const load = loadavg()[0]!;
  const start = performance.now();
  const produced = await producer.run();
  const producedIn = (performance.now() - start) / 1000;
  const { done: stages, late } = await stageTimes(d, start, stream);
  const cpu = cpuSince(pids, before);
  const processes = new Map(
    [...pids].map(([name, pid]) => [name, { cpuSeconds: cpu.get(name)!, peakRssMb: peakRssMb(pid) }]),
  );
  d.stopServices();
  const servers = new Map([...pids].filter(([name]) => name.endsWith('(server)')));
  let serversBefore = new Map<string, number>();
  const floor = await consumeAndInsert(d.kafka, d.ch, d.topics, events, `bench-floor-${d.id}`, () => {
    serversBefore = cpuSnapshot(servers);
  });
  const floorCpu = cpuSince(servers, serversBefore);
  floorCpu.set('consumer (bench process)', floor.consumerCpuSeconds);
  return {
    predictions: stream.inference.length,
    labels: stream.truth.length,
    load,
    producedIn,
    producerCpuSeconds: produced.cpuSeconds,
    stages,
    lateDropped: late,
    processes,
    floor: { seconds: floor.seconds, cpuSeconds: floorCpu },
  };
}
