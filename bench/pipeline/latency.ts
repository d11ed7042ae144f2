// The latency run: a time-ordered stream produced at a fixed rate (librdkafka, librdkafka-producer.ts) into a fresh default `driftline up` with a
// reference profile per model; while it flows, a poller notes when each row becomes visible in ClickHouse and a
// consumer notes when each alert lands on the alerts topic.
import { loadavg } from 'node:os';
import { loadConfig, loadSettings } from '../../services/core/src/config/load.ts';
import { DRIFT_SETTINGS } from '../../services/drift-monitor/src/settings.ts';
import { PERFORMANCE_SETTINGS } from '../../services/performance-monitor/src/settings.ts';
import { avroEncoder } from '../lib/avro-encoder.ts';
import { percentiles, type Percentiles } from '../lib/percentiles.ts';
import { closableAt, watchAlerts, type Lateness, type SeenAlert } from './alerts.ts';
import { REGISTRY, ROOT, type Deployment } from './deployment.ts';
import { cpuSince, cpuSnapshot, measuredProcesses } from '../lib/process-stats.ts';
import { LibrdkafkaProducer } from './librdkafka-producer.ts';
import { buildTimedStream, MODELS, type TimedEvent } from './stream.ts';
import { VisibilityPoller } from './visibility.ts';

/** Three hours and a quarter of event time per model: the default one-hour windows up to [02:00, 03:00) close. */
export const SPAN_MS = 3.25 * 3_600_000;
const POLL_MS = 100;
const WARM_UP_SECONDS = 10;
const IDLE_SECONDS = 10;

/** Each table polled, and which produced record its rows are timed from. */
const TABLES = [
  { table: 'inference_log', name: 'prediction → inference_log (sink)', from: 'inference' },
  { table: 'ground_truth', name: 'label → ground_truth (sink)', from: 'truth' },
  { table: 'labeled_predictions', name: 'label → labeled_predictions (joiner, sink)', from: 'truth' },
] as const;

export interface TableLatency {
  name: string;
  /** Milliseconds from produce to visible, of the rows seen. */
  ms: Percentiles;
  /** The median of each tenth of the run, in produce order: flat when the pipeline keeps up, rising when it lags. */
  mediansByTenth: number[];
  expected: number;
}

export interface TimedAlert extends SeenAlert {
  /** Milliseconds from the window's closable moment to the alert on the topic; undefined if not window-final. */
  delayMs: number | undefined;
}

export interface LatencyResult {
  rate: number;
  events: number;
  predictions: number;
  /** The warm-up before the measured stream, and how long after its last produce ClickHouse held all of it. */
  warmUp: { events: number; drainSeconds: number };
  load: number;
  producedIn: number;
  lateness: Lateness;
  tables: TableLatency[];
  pollMs: number;
  slowestPollMs: number;
  failedPolls: number;
  /** CPU seconds of this process (poller, alert reader) from the first produce to the last row seen. */
  benchCpuSeconds: number;
  /** CPU seconds of the producer (librdkafka's process) while it produced. */
  producerCpuSeconds: number;
  /** CPU share of a core of each service and server, ready and with no traffic, over a few seconds. */
  idleCores: Map<string, number>;
  /** CPU seconds of each service and server from the first produce to the last row seen. */
  processCpuSeconds: Map<string, number>;
  alerts: TimedAlert[];
}

function latencies(
  events: readonly TimedEvent[],
  sentAt: Float64Array,
  poller: VisibilityPoller,
): TableLatency[] {
  return TABLES.map(({ table, name, from }) => {
    const seen = poller.seen.get(table)!;
    const ms: number[] = [];
    const tenths: number[][] = Array.from({ length: 10 }, () => []);
    let expected = 0;
    events.forEach((e, i) => {
      if (e.topic !== from) return;
      expected++;
      const at = seen.get(e.id);
      if (at === undefined) return;
      ms.push(at - sentAt[i]!);
      tenths[Math.min(9, Math.floor((i * 10) / events.length))]!.push(at - sentAt[i]!);
    });
    return { name, ms: percentiles(ms), mediansByTenth: tenths.map((t) => percentiles(t).p50), expected };
  });
}

/** Waits until every polled table holds its whole input, or `timeoutMs`. */
async function drain(
  poller: VisibilityPoller,
  expected: Map<string, number>,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const complete = () => TABLES.every((t) => poller.seen.get(t.table)!.size >= expected.get(t.from)!);
  while (!complete() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

function counts(events: readonly TimedEvent[], plus?: Map<string, number>): Map<string, number> {
  const n = (topic: string) => events.filter((e) => e.topic === topic).length + (plus?.get(topic) ?? 0);
  return new Map([
    ['inference', n('inference')],
    ['truth', n('truth')],
  ]);
}

export async function runLatency(d: Deployment, rate: number, seconds: number): Promise<LatencyResult> {
  const encode = await avroEncoder(d.env.DRIFTLINE_TOPIC_PREFIX!, REGISTRY);
  const perSecond = rate / 1.9; // predictions; 0.9 labels each
  const warmUp = buildTimedStream(encode, Math.round(perSecond * WARM_UP_SECONDS), SPAN_MS, true);
  const events = buildTimedStream(encode, Math.round(perSecond * seconds), SPAN_MS);
  const lateness: Lateness = {
    driftMs: loadSettings(DRIFT_SETTINGS, d.env).graceMs,
    performanceMs:
      loadSettings(PERFORMANCE_SETTINGS, d.env).allowedLateness ?? loadConfig(d.env).allowedLatenessMs,
  };
  d.up();
  await d.buildReferences(MODELS);
  const pids = measuredProcesses(ROOT, d.runDir);
  const idleBefore = cpuSnapshot(pids);
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const idleCpuSeconds = cpuSince(pids, idleBefore);
  const watcher = await watchAlerts(d.kafka, d.topics.alerts, `bench-alerts-${d.id}`);
  const poller = new VisibilityPoller(
    d.ch,
    TABLES.map((t) => t.table),
    POLL_MS,
  );
  poller.start();
  // Warm-up: the same rate for a few seconds on other models, until ClickHouse holds it all.
  await (await LibrdkafkaProducer.prepare(d.runDir, 'warm-up', d.topics, warmUp, rate)).run();
  const warmUpEnd = performance.now();
  const warmUpCounts = counts(warmUp);
  await drain(poller, warmUpCounts, 120_000);
  const warmUpDrainSeconds = (performance.now() - warmUpEnd) / 1000;

  const producer = await LibrdkafkaProducer.prepare(d.runDir, 'paced', d.topics, events, rate);
  const load = loadavg()[0]!;
  const pidsCpu = cpuSnapshot(pids);
  const cpu = process.cpuUsage();
  const start = performance.now();
  const produced = await producer.run();
  const sentAt = produced.sentAt!;
  const producedIn = (performance.now() - start) / 1000;
  await drain(poller, counts(events, warmUpCounts), 120_000);
  await poller.stop();
  const benchCpu = process.cpuUsage(cpu);
  const processCpuSeconds = cpuSince(pids, pidsCpu);
  // Alerts of windows that became closable near the end: give them the alerter's poll and then some.
  await new Promise((r) => setTimeout(r, 15_000));
  await watcher.stop();
  return {
    rate,
    events: events.length,
    predictions: counts(events).get('inference')!,
    warmUp: { events: warmUp.length, drainSeconds: warmUpDrainSeconds },
    load,
    producedIn,
    lateness,
    tables: latencies(events, sentAt, poller),
    pollMs: POLL_MS,
    slowestPollMs: poller.slowestPollMs,
    failedPolls: poller.failedPolls,
    benchCpuSeconds: (benchCpu.user + benchCpu.system) / 1e6,
    producerCpuSeconds: produced.cpuSeconds,
    processCpuSeconds,
    idleCores: new Map([...idleCpuSeconds].map(([name, cpu]) => [name, cpu / IDLE_SECONDS])),
    alerts: watcher.alerts.map((a) => {
      const closable = closableAt(a, events, sentAt, lateness);
      return { ...a, delayMs: closable === undefined ? undefined : a.arrivedAt - closable };
    }),
  };
}
