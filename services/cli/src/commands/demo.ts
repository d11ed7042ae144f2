import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, loadSettings } from '../../../core/src/config/load.ts';
import { topicNames } from '../../../core/src/config/topics.ts';
import { createClickHouse, type ClickHouseClient } from '../../../core/src/clickhouse/client.ts';
import { createKafka } from '../../../core/src/kafka/client.ts';
import { createLogger } from '../../../core/src/logger.ts';
import { createCodecs, registerSchemas } from '../../../core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../../core/src/serde/schema-registry.ts';
import { classifierTraffic, take } from '../../../simulator/src/classifier-traffic.ts';
import { DEMO_MODELS, demoTraffic, WINDOW_MS } from '../../../simulator/src/demo-scenario.ts';
import {
  demoVerdictLines,
  verdictOf,
  type DemoAlert,
  type PhaseSpan,
} from '../../../simulator/src/demo-truth.ts';
import { publishLive } from '../../../simulator/src/publish.ts';
import { JOINER_SETTINGS } from '../../../label-joiner/src/settings.ts';
import { groupLag, lagByGroup } from '../lag.ts';
import { collectEstimateLines, type PrintedEstimates } from './demo-estimates.ts';
import { collectEvents, lastDemoEventMs, type Seen } from './demo-events.ts';
import { readSnapshot, statusLine } from '../live-view.ts';
import { DATA_DIR, ROOT } from '../paths.ts';
import { down } from './down.ts';
import { up } from './up.ts';

/** Settings the demo gives the services: one-minute windows so a run shows its story in minutes. */
export const DEMO_ENV: Record<string, string> = {
  DRIFTLINE_DRIFT_WINDOW: '1m',
  DRIFTLINE_DRIFT_GRACE: '5s',
  DRIFTLINE_PERF_WINDOWS: '1m,5m',
  // Labels come 1 to 61 s after their prediction, and traffic goes out in 20 s chunks (publishLive).
  DRIFTLINE_PERF_ALLOWED_LATENESS: '90s',
  DRIFTLINE_ALERTER_PERF_WINDOW: '1m',
  DRIFTLINE_ALERTER_POLL_MS: '1000',
  DRIFTLINE_JOINER_IDLE_MS: '5000',
  // The retrain policy counts event time; a demo run spans 18 minutes of it, so scale the hold-back down too.
  DRIFTLINE_ALERT__DEFAULTS__RETRAIN__MIN_INTERVAL: '5m',
  DRIFTLINE_ALERT__DEFAULTS__RETRAIN__DAILY_CAP: '50',
};

/**
 * The demo's estimator: estimates per minute, beside the realized figures and judged by the alerter as its open
 * windows. Apart from DEMO_ENV, which the fault suite shares, so its pipelines stay as they were.
 */
export const DEMO_ESTIMATOR_ENV = {
  DRIFTLINE_ESTIMATOR_WINDOW: '1m',
  DRIFTLINE_ESTIMATOR_GRACE: '5s',
  DRIFTLINE_ESTIMATOR_IDLE: '30s',
} as const;

/** Event time per chunk of published traffic. */
const CHUNK_MS = 20_000;
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/**
 * Waits (up to 20 s) until the label joiner has taken in everything sent, so the joined stream stays in event
 * time order across partitions.
 */
async function joinerCaughtUp(admin: ReturnType<ReturnType<typeof createKafka>['admin']>, topics: string[]) {
  const groupId = loadSettings(JOINER_SETTINGS).groupId;
  const deadline = Date.now() + 20_000;
  while ((await groupLag(admin, groupId, topics)) > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An hour back, or the window after an earlier run's traffic when that is later (see lastDemoEventMs). */
async function runStart(db: string): Promise<number> {
  const ch = createClickHouse(loadConfig());
  const last = await lastDemoEventMs(ch, db, DEMO_MODELS);
  await ch.close();
  const hourBack = Math.floor((Date.now() - 60 * WINDOW_MS) / WINDOW_MS) * WINDOW_MS;
  return last === null ? hourBack : Math.max(hourBack, (Math.floor(last / WINDOW_MS) + 2) * WINDOW_MS);
}

export interface DemoOptions {
  /** Classifier predictions per one-minute window. */
  perWindow: number;
  keepRunning: boolean;
  timeoutSec: number;
}

/**
 * The main job: the whole stack and every service, a reference profile, simulated traffic with a data drift and
 * then a concept shift, a live view of what the pipeline makes of it, and the HTML report at the end.
 */
export async function demo(options: DemoOptions): Promise<void> {
  Object.assign(process.env, DEMO_ENV, DEMO_ESTIMATOR_ENV);
  await down({ keepServers: true }); // services restart with the demo's settings
  await up();
  const config = loadConfig();
  const topics = topicNames(config);
  const runId = `demo${Date.now().toString(36)}`;
  const startMs = await runStart(config.clickhouseDatabase);
  await buildReferences(runId);

  const traffic = demoTraffic(startMs, options.perWindow, runId);
  for (const p of traffic.spans) console.log(`  ${hhmm(p.fromMs)}  ${p.phase.name}`);
  const registry = new SchemaRegistryClient({
    url: config.registryUrl,
    username: config.registryUsername,
    password: config.registryPassword,
  });
  const codecs = createCodecs(registry);
  await registerSchemas(registry, codecs, topics);
  const kafka = createKafka(config, 'demo', createLogger('demo', 'warn'));
  const producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  const ch = createClickHouse(config);
  const seen: Seen = { alerts: new Map(), triggers: new Map() };
  const printed: PrintedEstimates = { estimated: new Set(), realized: new Set() };
  const estimates = () =>
    collectEstimateLines(
      ch,
      config.clickhouseDatabase,
      DEMO_MODELS,
      DEMO_ESTIMATOR_ENV.DRIFTLINE_ESTIMATOR_WINDOW,
      startMs,
      printed,
    );
  const fromSec = Math.floor(startMs / 1000);
  const started = performance.now();
  const sent = await publishLive(producer, codecs, topics, traffic.pairs, {
    labelShare: 0.9,
    chunkMs: CHUNK_MS,
    settle: () => joinerCaughtUp(admin, [topics.inference, topics.groundTruth]),
    // Every minute of event time: how far the traffic got, and the alerts that landed meanwhile.
    onChunk: async (c) => {
      if (c.untilMs % WINDOW_MS !== 0) return;
      console.log(`  sent event time up to ${hhmm(c.untilMs)}`);
      const fresh = await collectEvents(ch, config.clickhouseDatabase, fromSec, seen);
      for (const a of fresh) console.log(alertLine(a, traffic.spans));
      for (const line of await estimates()) console.log(line);
    },
  });
  await Promise.all([producer.disconnect(), admin.disconnect()]);
  const sendSec = (performance.now() - started) / 1000;
  console.log(
    `produced ${sent.predictions} predictions and ${sent.labels} labels in ${sendSec.toFixed(1)} s (${Math.round((sent.predictions + sent.labels) / sendSec)} events/s)`,
  );

  await watch({
    ch,
    db: config.clickhouseDatabase,
    runId,
    fromSec,
    kafka,
    timeoutSec: options.timeoutSec,
    t0: started,
    sent,
    spans: traffic.spans,
    seen,
    estimates,
  });
  await ch.close();
  const reportFile = path.join(ROOT, 'reports', 'demo-report.html');
  const { reportCommand } = await import('../../../report/src/command.ts');
  await reportCommand({
    model: 'churn',
    from: String(startMs),
    to: String(traffic.endMs + WINDOW_MS),
    html: reportFile,
  });
  console.log(`\nHTML report: ${reportFile}`);
  console.log(`the demo saw ${seen.alerts.size} alert events and ${seen.triggers.size} retrain triggers`);
  const lines = demoVerdictLines(
    traffic.spans,
    [...seen.alerts.values()],
    [...seen.triggers.values()],
    WINDOW_MS,
  );
  for (const line of lines) console.log(line);
  if (!options.keepRunning) await down();
  if (!toldStory(seen)) throw new Error('the demo ended without a data-drift alert and a performance alert');
}

/** Reference profiles from a file of normal traffic, as a user would build them (`driftline reference build`). */
async function buildReferences(runId: string): Promise<void> {
  const { buildReferenceCommand } = await import('../../../drift-monitor/src/reference-build.ts');
  const dir = path.join(DATA_DIR, 'demo');
  mkdirSync(dir, { recursive: true });
  for (const version of ['v1', 'v2']) {
    const file = path.join(dir, `reference-churn-${version}.jsonl`);
    const events = take(
      5000,
      classifierTraffic({
        modelId: 'churn',
        modelVersion: version,
        startMs: 0,
        seed: 99,
        classes: ['stay', 'churn', 'upgrade'],
        idPrefix: `${runId}-ref`,
      }),
    );
    writeFileSync(file, events.map((p) => JSON.stringify(p.inference)).join('\n'));
    const r = await buildReferenceCommand({ modelId: 'churn', modelVersion: version, from: file });
    console.log(`reference profile churn/${version}: ${r.events} events from ${path.relative(ROOT, file)}`);
  }
}

/** The demo's story: data drift in its drift phase, a performance alert on a final window in its concept phase. */
function toldStory(seen: Seen): boolean {
  const alerts = [...seen.alerts.values()].filter((a) => a.status === 'FIRING');
  return (
    alerts.some((a) => a.kind === 'DATA_DRIFT') &&
    alerts.some((a) => a.kind === 'PERFORMANCE' && !a.provisional)
  );
}

/** An alert event as it lands; a FIRING one graded against the demo's truth. */
function alertLine(a: DemoAlert, spans: readonly PhaseSpan[]): string {
  const flag = a.provisional ? ' (provisional)' : '';
  const verdict = a.status === 'FIRING' ? `  [${verdictOf(a, spans)}]` : '';
  return `  >> ${a.status}${flag} ${a.kind} ${a.model_id}/${a.model_version} window ${hhmm(a.window_start)}: ${a.message}${verdict}`;
}

interface WatchOptions {
  ch: ClickHouseClient;
  db: string;
  runId: string;
  fromSec: number;
  seen: Seen;
  kafka: ReturnType<typeof createKafka>;
  timeoutSec: number;
  t0: number;
  sent: { predictions: number; labels: number };
  spans: readonly PhaseSpan[];
  /** Estimate lines not printed yet (estimated before labels, then realized). */
  estimates: () => Promise<string[]>;
}

/**
 * Prints a status line every few seconds and every alert (graded against the demo's truth) and trigger as it
 * lands, until the story is told and every event landed.
 */
async function watch(o: WatchOptions): Promise<void> {
  const { ch, fromSec, seen } = o;
  const admin = o.kafka.admin();
  await admin.connect();
  const printedTriggers = new Set<string>();
  const deadline = Date.now() + o.timeoutSec * 1000;
  let quietTicks = 0;
  let idleTicks = 0;
  while (Date.now() < deadline) {
    const snap = await readSnapshot(ch, o.db, o.runId, fromSec);
    const lag = [...(await lagByGroup(admin)).values()].reduce((a, b) => a + b, 0);
    console.log(statusLine(snap, lag, (performance.now() - o.t0) / 1000));
    const fresh = await collectEvents(ch, o.db, fromSec, seen);
    for (const a of fresh) console.log(alertLine(a, o.spans));
    for (const line of await o.estimates()) console.log(line);
    for (const t of snap.triggers) {
      if (printedTriggers.has(t.id)) continue;
      printedTriggers.add(t.id);
      console.log(`  >> ${t.text}`);
    }
    // Done once the story is told and every event landed; a few more ticks let the last windows' alerts in.
    // Untold, the pipeline gets a minute without any new alert after everything landed.
    const landed = snap.predictions >= o.sent.predictions && snap.labeled >= o.sent.labels * 0.99;
    quietTicks = toldStory(seen) && landed ? quietTicks + 1 : 0;
    idleTicks = landed && fresh.length === 0 ? idleTicks + 1 : 0;
    if (quietTicks >= 4 || idleTicks >= 20) break;
    await new Promise((r) => setTimeout(r, 3000));
  }
  await admin.disconnect();
}
