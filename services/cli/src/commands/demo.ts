import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../core/src/config/load.ts';
import { topicNames } from '../../../core/src/config/topics.ts';
import { createClickHouse, type ClickHouseClient } from '../../../core/src/clickhouse/client.ts';
import { createKafka } from '../../../core/src/kafka/client.ts';
import { createLogger } from '../../../core/src/logger.ts';
import { createCodecs, registerSchemas } from '../../../core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../../core/src/serde/schema-registry.ts';
import { classifierTraffic, take } from '../../../simulator/src/classifier-traffic.ts';
import { demoTraffic, WINDOW_MS } from '../../../simulator/src/demo-scenario.ts';
import {
  demoVerdictLines,
  verdictOf,
  type DemoAlert,
  type DemoTrigger,
  type PhaseSpan,
} from '../../../simulator/src/demo-truth.ts';
import { publishTraffic } from '../../../simulator/src/publish.ts';
import { lagByGroup } from '../lag.ts';
import { readSnapshot, statusLine } from '../live-view.ts';
import { DATA_DIR, ROOT } from '../paths.ts';
import { down } from './down.ts';
import { up } from './up.ts';

/** Settings the demo gives the services: one-minute windows so a run shows its story in minutes. */
export const DEMO_ENV: Record<string, string> = {
  DRIFTLINE_DRIFT_WINDOW: '1m',
  DRIFTLINE_DRIFT_GRACE: '5s',
  DRIFTLINE_PERF_WINDOWS: '1m,5m',
  DRIFTLINE_PERF_ALLOWED_LATENESS: '30s',
  DRIFTLINE_ALERTER_PERF_WINDOW: '1m',
  DRIFTLINE_ALERTER_POLL_MS: '1000',
  DRIFTLINE_JOINER_IDLE_MS: '5000',
  // The retrain policy counts event time; a demo run spans 18 minutes of it, so scale the hold-back down too.
  DRIFTLINE_ALERT__DEFAULTS__RETRAIN__MIN_INTERVAL: '5m',
  DRIFTLINE_ALERT__DEFAULTS__RETRAIN__DAILY_CAP: '50',
};

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
  Object.assign(process.env, DEMO_ENV);
  await down({ keepServers: true }); // services restart with the demo's settings
  await up();
  const config = loadConfig();
  const topics = topicNames(config);
  const runId = `demo${Date.now().toString(36)}`;
  const startMs = Math.floor((Date.now() - 60 * WINDOW_MS) / WINDOW_MS) * WINDOW_MS;
  await buildReferences(runId);

  const traffic = demoTraffic(startMs, options.perWindow, runId);
  for (const p of traffic.spans)
    console.log(`  ${new Date(p.fromMs).toISOString().slice(11, 16)}  ${p.phase.name}`);
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
  const started = performance.now();
  const sent = await publishTraffic(producer, codecs, topics, traffic.pairs, 0.9);
  await producer.disconnect();
  const sendSec = (performance.now() - started) / 1000;
  console.log(
    `produced ${sent.predictions} predictions and ${sent.labels} labels in ${sendSec.toFixed(1)} s (${Math.round((sent.predictions + sent.labels) / sendSec)} events/s)`,
  );

  const seen = await watch({
    db: config.clickhouseDatabase,
    runId,
    startMs,
    kafka,
    timeoutSec: options.timeoutSec,
    t0: started,
    sent,
    spans: traffic.spans,
  });
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

interface Seen {
  /** Every alert event that landed, by alert_id and provisional flag (a confirmation may reuse the id). */
  alerts: Map<string, DemoAlert>;
  triggers: Map<string, DemoTrigger>;
}

interface AlertRow {
  alert_id: string;
  model_id: string;
  model_version: string;
  kind: DemoAlert['kind'];
  severity: string;
  metric: string;
  status: DemoAlert['status'];
  window_start_ms: string | number;
  window_end_ms: string | number;
  evidence: string;
  provisional: string | number;
  message: string;
}

/**
 * The run's alert and trigger events, read without FINAL (a provisional alert and its confirmation may share
 * an id, and the confirmation would replace it) and kept as they land.
 */
async function collect(ch: ClickHouseClient, db: string, fromSec: number, seen: Seen): Promise<DemoAlert[]> {
  const fresh: DemoAlert[] = [];
  const query = async <T>(sql: string): Promise<T[]> => {
    try {
      return await (await ch.query({ query: sql, format: 'JSONEachRow' })).json<T>();
    } catch {
      return []; // a table the services have not created yet
    }
  };
  const alerts = await query<AlertRow>(
    `SELECT DISTINCT alert_id, model_id, model_version, kind, severity, metric, status, window_start_ms,
            window_end_ms, evidence, provisional, message
     FROM ${db}.alerts WHERE window_start >= toDateTime(${fromSec})`,
  );
  for (const r of alerts) {
    const a: DemoAlert = {
      ...r,
      window_start: Number(r.window_start_ms),
      window_end: Number(r.window_end_ms),
      evidence: JSON.parse(r.evidence) as DemoAlert['evidence'],
      provisional: Number(r.provisional) === 1,
    };
    const key = `${a.alert_id}|${a.provisional}`;
    if (seen.alerts.has(key)) continue;
    seen.alerts.set(key, a);
    fresh.push(a);
  }
  const triggers = await query<{ trigger_id: string; triggered_at_ms: string | number } & DemoTrigger>(
    `SELECT DISTINCT trigger_id, model_id, model_version, reasons, triggered_at_ms
     FROM ${db}.retrain_triggers WHERE triggered_at >= toDateTime(${fromSec})`,
  );
  for (const t of triggers) {
    seen.triggers.set(t.trigger_id, { ...t, triggered_at: Number(t.triggered_at_ms) });
  }
  return fresh.sort((a, b) => a.window_start - b.window_start);
}

/** The demo's story: data drift in its drift phase, a performance alert on a final window in its concept phase. */
function toldStory(seen: Seen): boolean {
  const alerts = [...seen.alerts.values()].filter((a) => a.status === 'FIRING');
  return (
    alerts.some((a) => a.kind === 'DATA_DRIFT') &&
    alerts.some((a) => a.kind === 'PERFORMANCE' && !a.provisional)
  );
}

function alertLine(a: DemoAlert, spans: readonly PhaseSpan[]): string {
  const at = new Date(a.window_start).toISOString().slice(11, 16);
  const flag = a.provisional ? ' (provisional)' : '';
  return `  >> ${a.status}${flag} ${a.kind} ${a.model_id}/${a.model_version} window ${at}: ${a.message}  [${verdictOf(a, spans)}]`;
}

interface WatchOptions {
  db: string;
  runId: string;
  startMs: number;
  kafka: ReturnType<typeof createKafka>;
  timeoutSec: number;
  t0: number;
  sent: { predictions: number; labels: number };
  spans: readonly PhaseSpan[];
}

/**
 * Prints a status line every few seconds and every alert (graded against the demo's truth) and trigger as it
 * lands, until the story is told and every event landed.
 */
async function watch(o: WatchOptions): Promise<Seen> {
  const ch = createClickHouse(loadConfig());
  const admin = o.kafka.admin();
  await admin.connect();
  const seen: Seen = { alerts: new Map(), triggers: new Map() };
  const printedTriggers = new Set<string>();
  const fromSec = Math.floor(o.startMs / 1000);
  const deadline = Date.now() + o.timeoutSec * 1000;
  let quietTicks = 0;
  while (Date.now() < deadline) {
    const snap = await readSnapshot(ch, o.db, o.runId, fromSec);
    const lag = [...(await lagByGroup(admin)).values()].reduce((a, b) => a + b, 0);
    console.log(statusLine(snap, lag, (performance.now() - o.t0) / 1000));
    for (const a of await collect(ch, o.db, fromSec, seen)) console.log(alertLine(a, o.spans));
    for (const t of snap.triggers) {
      if (printedTriggers.has(t.id)) continue;
      printedTriggers.add(t.id);
      console.log(`  >> ${t.text}`);
    }
    // Done once the story is told and every event landed; a few more ticks let the last windows' alerts in.
    const landed = snap.predictions >= o.sent.predictions && snap.labeled >= o.sent.labels * 0.99;
    quietTicks = toldStory(seen) && landed ? quietTicks + 1 : 0;
    if (quietTicks >= 4) break;
    await new Promise((r) => setTimeout(r, 3000));
  }
  await admin.disconnect();
  await ch.close();
  return seen;
}
