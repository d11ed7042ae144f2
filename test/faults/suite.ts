import { createClient } from '@clickhouse/client';
import { groupLag } from '../../services/cli/src/lag.ts';
import { faultPlan, FaultInjector, type PlanName } from './faults.ts';
import {
  buildReferences,
  cli,
  exits,
  kafkaOf,
  newPipeline,
  publishStream,
  restarts,
  type Pipeline,
} from './pipeline.ts';
import { compareSnapshots, rowCounts, snapshot, type Snapshot, type TableDifference } from './snapshot.ts';

export interface SuiteOptions {
  /** The full plan touches the shared servers (Kafka restart, ClickHouse and registry stops). */
  full: boolean;
  /** Overrides `full`: 'outages' stops and restarts the servers without killing any service. */
  plan?: PlanName;
  /** Classifier predictions per one-minute window of the demo stream. */
  perWindow: number;
}

export interface RunResult {
  events: { predictions: number; labels: number };
  snapshot: Snapshot;
  restarts: Record<string, number>;
  /** The supervisor's line for every exit it restarted, with the service's last error. */
  exits: string[];
  faults: string[];
}

export interface SuiteResult {
  clean: RunResult;
  faulty: RunResult;
  differences: TableDifference[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the stream fault-free, then again under the plan's faults, and compares every table. */
export async function runSuite(o: SuiteOptions): Promise<SuiteResult> {
  const clean = await runOnce(newPipeline('clean'), o, false);
  const faulty = await runOnce(newPipeline('faulty'), o, true);
  return { clean, faulty, differences: compareSnapshots(clean.snapshot, faulty.snapshot) };
}

async function runOnce(p: Pipeline, o: SuiteOptions, withFaults: boolean): Promise<RunResult> {
  const ch = createClient({ url: p.env.DRIFTLINE_CLICKHOUSE_URL! });
  const planName = o.plan ?? (o.full ? 'full' : 'short');
  const plan = withFaults ? faultPlan(planName, Number(p.env.DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS)) : [];
  const injector = new FaultInjector(p, plan);
  try {
    console.log(
      `[${p.name}] driftline up (topics ${p.env.DRIFTLINE_TOPIC_PREFIX}*, database ${p.env.DRIFTLINE_CLICKHOUSE_DATABASE})`,
    );
    cli(p, 'up');
    buildReferences(p);
    injector.startSpare();
    // Paced, so that the faults land while the stream flows rather than after it.
    const paceMs = planName === 'short' ? 1_000 : 4_000;
    const events = await publishStream(p, o.perWindow, async (i) => {
      injector.onChunk(i);
      await sleep(paceMs);
    });
    console.log(`[${p.name}] stream sent: ${events.predictions} predictions, ${events.labels} labels`);
    await injector.done();
    await injector.stopSpare();
    const final = await settled(p, ch);
    return { events, snapshot: final, restarts: restarts(p), exits: exits(p), faults: injector.log };
  } finally {
    await injector.stopSpare();
    try {
      cli(p, 'down', '--keep-servers');
    } catch (error) {
      console.error(`[${p.name}] down failed: ${(error as Error).message}`);
    }
    if (!process.env.DRIFTLINE_FAULTS_KEEP_DATA) {
      await ch
        .command({ query: `DROP DATABASE IF EXISTS ${p.env.DRIFTLINE_CLICKHOUSE_DATABASE}` })
        .catch(() => undefined);
    }
    await ch.close();
  }
}

/** Waits until every group has read everything and the tables stop changing (two equal snapshots 20 s apart). */
async function settled(p: Pipeline, ch: ReturnType<typeof createClient>): Promise<Snapshot> {
  const kafka = kafkaOf(p);
  const admin = kafka.admin();
  await admin.connect();
  const groups = Object.entries(p.env)
    .filter(([k]) => k.endsWith('_GROUP_ID'))
    .map(([, v]) => v);
  const deadline = Date.now() + 900_000;
  let last = '';
  try {
    while (Date.now() < deadline) {
      const lags: Record<string, number> = {};
      for (const g of groups) lags[g] = await groupLag(admin, g).catch(() => -1);
      const s = await snapshot(ch, p.env.DRIFTLINE_CLICKHOUSE_DATABASE!);
      // Transaction markers keep a read_committed group's lag above zero at a topic's end: stable is enough.
      const text = JSON.stringify({ s, lags });
      if (text === last) return s;
      console.log(`[${p.name}] settling: lag ${JSON.stringify(lags)}, rows ${JSON.stringify(rowCounts(s))}`);
      last = text;
      await sleep(20_000);
    }
    return await snapshot(ch, p.env.DRIFTLINE_CLICKHOUSE_DATABASE!);
  } finally {
    await admin.disconnect();
  }
}

/** What the suite did and what differed, for people. */
export function report(r: SuiteResult): string {
  const lines = [
    `events: ${r.clean.events.predictions} predictions, ${r.clean.events.labels} labels per run`,
    `faults injected (${r.faulty.faults.filter((f) => /SIGKILL|SIGSTOP|restarting|stopping/.test(f)).length}):`,
    ...r.faulty.faults.map((f) => `  ${f}`),
    `supervisor restarts: fault-free ${JSON.stringify(r.clean.restarts)}, faulty ${JSON.stringify(r.faulty.restarts)}`,
    ...(r.faulty.exits.length > 0 ? ['exits the supervisor restarted (faulty run):'] : []),
    ...r.faulty.exits.map((line) => `  ${line}`),
    `rows compared: ${JSON.stringify(rowCounts(r.clean.snapshot))}`,
    r.differences.length === 0 ? 'differences: none' : `differences in ${r.differences.length} table(s):`,
  ];
  for (const d of r.differences) {
    lines.push(`  ${d.table}: ${d.missing.length} missing, ${d.extra.length} extra`);
    for (const row of d.missing.slice(0, 5)) lines.push(`    - ${row}`);
    for (const row of d.extra.slice(0, 5)) lines.push(`    + ${row}`);
  }
  return lines.join('\n');
}
