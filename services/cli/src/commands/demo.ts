import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../core/src/config/load.ts';
import { topicNames } from '../../../core/src/config/topics.ts';
import { createClickHouse } from '../../../core/src/clickhouse/client.ts';
import { createKafka } from '../../../core/src/kafka/client.ts';
import { createLogger } from '../../../core/src/logger.ts';
import { createCodecs, registerSchemas } from '../../../core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../../core/src/serde/schema-registry.ts';
import { classifierTraffic, take } from '../../../simulator/src/classifier-traffic.ts';
import { demoTraffic, WINDOW_MS } from '../../../simulator/src/demo-scenario.ts';
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
  for (const p of traffic.phaseStarts)
    console.log(`  ${new Date(p.startMs).toISOString().slice(11, 16)}  ${p.name}`);
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

  const seen = await watch(
    config.clickhouseDatabase,
    runId,
    startMs,
    kafka,
    options.timeoutSec,
    started,
    sent,
  );
  const reportFile = path.join(ROOT, 'reports', 'demo-report.html');
  const { reportCommand } = await import('../../../report/src/command.ts');
  await reportCommand({
    model: 'churn',
    from: String(startMs),
    to: String(traffic.endMs + WINDOW_MS),
    html: reportFile,
  });
  console.log(`\nHTML report: ${reportFile}`);
  console.log(`the demo saw ${seen.alerts} alerts and ${seen.triggers} retrain triggers`);
  if (!options.keepRunning) await down();
  if (seen.dataDrift === 0 || seen.triggers === 0)
    throw new Error('the demo ended without a data-drift alert and a retrain trigger');
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
  alerts: number;
  triggers: number;
  dataDrift: number;
}

/** Prints a status line every few seconds and every alert and trigger as it lands, until both kinds were seen. */
async function watch(
  db: string,
  runId: string,
  startMs: number,
  kafka: ReturnType<typeof createKafka>,
  timeoutSec: number,
  t0: number,
  sent: { predictions: number; labels: number },
): Promise<Seen> {
  const ch = createClickHouse(loadConfig());
  const admin = kafka.admin();
  await admin.connect();
  const printed = new Set<string>();
  const seen: Seen = { alerts: 0, triggers: 0, dataDrift: 0 };
  const deadline = Date.now() + timeoutSec * 1000;
  let quietTicks = 0;
  while (Date.now() < deadline) {
    const snap = await readSnapshot(ch, db, runId, Math.floor(startMs / 1000));
    const lag = [...(await lagByGroup(admin)).values()].reduce((a, b) => a + b, 0);
    console.log(statusLine(snap, lag, (performance.now() - t0) / 1000));
    for (const e of [...snap.alerts, ...snap.triggers]) {
      if (printed.has(e.id)) continue;
      printed.add(e.id);
      console.log(`  >> ${e.text}`);
    }
    seen.alerts = snap.alerts.length;
    seen.triggers = snap.triggers.length;
    seen.dataDrift = snap.alerts.filter((a) => a.text.includes('DATA_DRIFT')).length;
    // Done once the story is told and every event landed; a few more ticks let the last windows' alerts in.
    const told =
      seen.dataDrift > 0 && seen.triggers > 0 && snap.alerts.some((a) => a.text.includes('PERFORMANCE'));
    const landed = snap.predictions >= sent.predictions && snap.labeled >= sent.labels * 0.99;
    quietTicks = told && landed ? quietTicks + 1 : 0;
    if (quietTicks >= 4) break;
    await new Promise((r) => setTimeout(r, 3000));
  }
  await admin.disconnect();
  await ch.close();
  return seen;
}
