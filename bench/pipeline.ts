// End-to-end benchmark of the whole pipeline on this machine, every server and service on it:
//   npx tsx bench/pipeline.ts [predictions=150000] [paced events/s=half the end-to-end rate] [paced seconds=45]
// Two runs, each in a fresh default `driftline up` (its own run folder, topic prefix and database, beside the
// servers if they run, else starting them); streams are generated and encoded before any clock starts.
// 1. Throughput: Avro predictions of three models (20 numeric features and one categorical), labels for 90% of
//    them 1-61 s later in event time, the third model's x0 shifted by one standard deviation half way, produced
//    as fast as librdkafka goes (bench/pipeline/librdkafka-producer.ts). Reports events/s end to end and per stage (the sink's inference_log rows, the
//    joiner's pairs in labeled_predictions, the performance monitor's 5-minute windows), CPU ms per 1,000
//    events of each service and server (from /proc) and peak RSS; then, services stopped, the floor: a plain
//    kafkajs consume-and-insert of the same topics into ClickHouse, its events/s and CPU.
// 2. Latency, at about half that rate: the same kind of stream in event-time order over 3¼ hours of event time
//    (with a reference profile per model, a data drift and a drop in accuracy), produced at a fixed rate after
//    a 10 s warm-up on other models has reached ClickHouse.
//    Reports p50/p95/p99 from produce to the row in ClickHouse (polled every 100 ms) and the median of each
//    tenth of the run, for each alert the delay from its window becoming closable (the first event past its end
//    plus lateness produced) to the alert on the alerts topic, and each process's CPU at that rate and idle.
import { loadavg } from 'node:os';
import { ALERTER_SETTINGS } from '../services/alerter/src/settings.ts';
import type { Percentiles } from './lib/percentiles.ts';
import { Deployment } from './pipeline/deployment.ts';
import { runLatency, SPAN_MS, type LatencyResult } from './pipeline/latency.ts';
import { PACED_CHANGES } from './pipeline/stream.ts';
import { runThroughput, STAGES, type ThroughputResult } from './pipeline/throughput.ts';

const PREDICTIONS = Number(process.argv[2] ?? 150_000);
const PACED_RATE = process.argv[3] ? Number(process.argv[3]) : undefined;
const PACED_SECONDS = Number(process.argv[4] ?? 45);

const fixed = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function printThroughput(r: ThroughputResult): number | undefined {
  const events = r.predictions + r.labels;
  console.log(
    `\nTHROUGHPUT: ${r.predictions} predictions + ${r.labels} labels = ${events} events, as fast as librdkafka goes`,
  );
  console.log(
    `load average at start ${fixed(r.load)}; produced in ${fixed(r.producedIn)} s (${Math.round(events / r.producedIn)} events/s; the producer's CPU ${fixed(r.producerCpuSeconds)} s)`,
  );
  console.log('stage                               holds everything after   events/s');
  for (const s of STAGES) {
    const t = r.stages.get(s.name);
    const n = s.of === 'inference' ? r.predictions : r.labels;
    console.log(
      `${s.name.padEnd(36)}${(t === undefined ? 'not within 900 s' : `${fixed(t)} s`).padStart(10)}   ${t ? Math.round(n / t) : '-'}`,
    );
  }
  // The monitor waits for the slowest joiner task (up to DRIFTLINE_PERF_MAX_JOINER_SKEW), so this stream of 83
  // minutes per model should have none; earlier code counted up to 3,175 late in such runs.
  console.log(
    `the performance monitor counted ${r.lateDropped} pairs late (driftline_perf_late_dropped_total; its windows hold all the others)`,
  );
  const last = r.stages.size === STAGES.length ? Math.max(...r.stages.values()) : undefined;
  if (last !== undefined)
    console.log(
      `${'END TO END'.padEnd(36)}${`${fixed(last)} s`.padStart(10)}   ${Math.round(events / last)}`,
    );
  console.log('\nprocess                 CPU s   CPU ms per 1,000 events   peak RSS MB');
  for (const [name, p] of r.processes)
    console.log(
      `${name.padEnd(22)}${fixed(p.cpuSeconds).padStart(7)}${fixed((p.cpuSeconds * 1e6) / events, 1).padStart(26)}${fixed(p.peakRssMb, 0).padStart(14)}`,
    );
  const floorCpu = [...r.floor.cpuSeconds]
    .map(([name, s]) => `${name} ${fixed((s * 1e6) / events)}`)
    .join(', ');
  console.log(
    `\nfloor, a plain kafkajs consume-and-insert of both topics into ClickHouse (Avro decoded, JSONEachRow, one insert per fetched batch): ${fixed(r.floor.seconds)} s, ${Math.round(events / r.floor.seconds)} events/s; CPU ms per 1,000 events: ${floorCpu}`,
  );
  // The machine's speed varies from day to day (the floor ran at 13.9-40.9 k events/s on the same code); the
  // pipeline's rate as a share of the floor's, measured minutes apart, is the figure to compare across days.
  if (last !== undefined)
    console.log(`the pipeline end to end at ${fixed(r.floor.seconds / last, 2)} of the floor's rate`);
  return last === undefined ? undefined : events / last;
}

const ms = (p: Percentiles) => [p.p50, p.p95, p.p99, p.max].map((x) => fixed(x, 0).padStart(7)).join('');

function printLatency(r: LatencyResult): void {
  console.log(
    `\nLATENCY: ${r.events} events (${r.predictions} predictions over ${SPAN_MS / 3_600_000} h of event time per model) paced at ${r.rate} events/s; produced in ${fixed(r.producedIn)} s; load average at start ${fixed(r.load)}`,
  );
  console.log(
    `after a warm-up of ${r.warmUp.events} events at the same rate on three other models, all in ClickHouse ${fixed(r.warmUp.drainSeconds)} s after its last produce`,
  );
  console.log(
    `default settings (drift window 1h, grace ${r.lateness.driftMs / 60_000} min; performance windows 5m,1h,1d, lateness ${r.lateness.performanceMs / 60_000} min; alerter polls every ${Number(ALERTER_SETTINGS.pollMs.default) / 1000} s); ${PACED_CHANGES}`,
  );
  console.log('produce → row visible in ClickHouse, ms         rows      p50    p95    p99    max');
  for (const t of r.tables)
    console.log(`${t.name.padEnd(44)}${`${t.ms.n}/${t.expected}`.padStart(13)}${ms(t.ms)}`);
  for (const t of r.tables)
    console.log(
      `p50 by tenth of the run, s: ${t.mediansByTenth.map((x) => fixed(x / 1000)).join(' ')}   ${t.name}`,
    );
  const cpu = [...r.processCpuSeconds]
    .map(([name, s]) => `${name} ${fixed((s * 1e6) / r.events)}`)
    .join(', ');
  console.log(`CPU ms per 1,000 events at this rate: ${cpu}`);
  const idle = [...r.idleCores].map(([name, c]) => `${name} ${fixed(c * 100, 0)}%`).join(', ');
  console.log(`idle before the warm-up (ready, no traffic), CPU share of a core: ${idle}`);
  console.log(
    `(ClickHouse polled every ${r.pollMs} ms for the rows of table parts it had not read (part list, then those parts); slowest poll ${fixed(r.slowestPollMs, 0)} ms; ${r.failedPolls} failed; this process, poller and alert reader, ${fixed(r.benchCpuSeconds)} CPU s; the producer, librdkafka, ${fixed(r.producerCpuSeconds)} CPU s)`,
  );
  console.log(
    `\n${'alerts on the topic'.padEnd(40)}model    window (event time)  severity  window closable → alert`,
  );
  const clock = (t: number) => new Date(t).toISOString().slice(11, 16);
  for (const a of r.alerts) {
    const what = `${a.status === 'FIRING' ? '' : `${a.status} `}${a.kind} ${a.metric}`;
    const delay =
      a.delayMs !== undefined
        ? `${fixed(a.delayMs / 1000)} s`
        : a.provisional
          ? 'provisional, on the open window'
          : 'not a window close';
    console.log(
      `${what.padEnd(40)}${a.modelId.padEnd(9)}${`${clock(a.windowStartMs)}-${clock(a.windowEndMs)}`.padEnd(21)}${a.severity.padEnd(10)}${delay}`,
    );
  }
  if (r.alerts.length === 0) console.log('none');
}

const throughputRun = new Deployment();
let rate = PACED_RATE;
try {
  console.log(`throughput run: ${PREDICTIONS} predictions (3 models, 21 features) and their labels...`);
  const endToEnd = printThroughput(await runThroughput(throughputRun, PREDICTIONS));
  rate ??= Math.round((endToEnd ?? 12_000) / 2);
} finally {
  throughputRun.stopServices();
  await throughputRun.drop();
}
const latencyRun = new Deployment();
try {
  console.log(
    `\nlatency run: ${rate} events/s for about ${PACED_SECONDS} s (load average now ${fixed(loadavg()[0]!)})...`,
  );
  printLatency(await runLatency(latencyRun, rate, PACED_SECONDS));
} finally {
  latencyRun.stopServices();
  await latencyRun.drop();
}
