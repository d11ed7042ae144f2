// Verdicts over the real services: inference events and labels go to Kafka; the label joiner, the performance
// monitor, the drift monitor and the alerter run as their own processes at their default rules (1-minute
// windows here, 500 events each, so the test runs in minutes). Three models share the stream and one clock:
// `steady` never changes, `shift` has one feature moved by one standard deviation from window 20 on, `drop`
// loses 25 points of accuracy from window 20 on. The test reads what reached the alert topic.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { Alert } from '../../services/core/src/records/records.generated.ts';
import { createCodecs } from '../../services/core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../services/core/src/serde/schema-registry.ts';
import { buildReferenceCommand } from '../../services/drift-monitor/src/reference-cli.ts';
import {
  classifierTraffic,
  take,
  type SimulatedPair,
} from '../../services/simulator/src/classifier-traffic.ts';
import { rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const T0 = Date.parse('2026-04-01T00:00:00Z');
const MINUTE = 60_000;
const PER_WINDOW = 500;
const STEP_MS = MINUTE / PER_WINDOW;
const CHANGE = 20; // the first changed window
const env = isolatedEnv({
  DRIFTLINE_DRIFT_WINDOW: '1m',
  DRIFTLINE_DRIFT_GRACE: '5s',
  DRIFTLINE_DRIFT_CLOSE_INTERVAL: '300ms',
  DRIFTLINE_PERF_WINDOWS: '1m',
  // Windows stay open 5 minutes of event time after their end: long enough to see a provisional verdict.
  DRIFTLINE_PERF_ALLOWED_LATENESS: '5m',
  DRIFTLINE_ALERTER_PERF_WINDOW: '1m',
  DRIFTLINE_ALERTER_POLL_MS: '500',
});
env.DRIFTLINE_DRIFT_GROUP_ID = `drift-${env.DRIFTLINE_TOPIC_PREFIX}`;
env.DRIFTLINE_DRIFT_CONCEPT_GROUP_ID = `concept-${env.DRIFTLINE_TOPIC_PREFIX}`;
env.DRIFTLINE_JOINER_GROUP_ID = `joiner-${env.DRIFTLINE_TOPIC_PREFIX}`;
env.DRIFTLINE_PERF_GROUP_ID = `perf-${env.DRIFTLINE_TOPIC_PREFIX}`;
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const ch = testClickHouse();
const kafka = testKafka();
const codecs = createCodecs(new SchemaRegistryClient({ url: env.DRIFTLINE_SCHEMA_REGISTRY_URL! }));
const services: ServiceProcess[] = [];

type Model = 'steady' | 'shift' | 'drop';

/** Windows [from, to) of one model: before CHANGE as the reference, from CHANGE on with its change. */
function traffic(model: Model, from: number, to: number): SimulatedPair[] {
  const part = (start: number, end: number, changed: boolean) =>
    take(
      (end - start) * PER_WINDOW,
      classifierTraffic({
        modelId: model,
        modelVersion: 'v1',
        seed: 1000 * start + model.length,
        startMs: T0 + start * MINUTE,
        stepMs: STEP_MS,
        idPrefix: `${model}-${start}`,
        shift: changed && model === 'shift' ? 1 : 0,
        errorRate: changed && model === 'drop' ? 0.35 : 0.1,
      }),
    );
  const before = Math.min(to, Math.max(from, CHANGE));
  return [...part(from, before, false), ...(to > before ? part(before, to, true) : [])];
}

async function buildReference(model: Model, dir: string): Promise<void> {
  const reference = take(
    10_000,
    classifierTraffic({ modelId: model, modelVersion: 'v1', seed: 7, startMs: T0 - 86_400_000, stepMs: 100 }),
  ).map((p) => p.inference);
  const file = path.join(dir, `${model}.jsonl`);
  await writeFile(file, reference.map((e) => JSON.stringify(e)).join('\n'));
  await buildReferenceCommand({ modelId: model, modelVersion: 'v1', from: file, env });
}

/** Windows [from, to) of every model, predictions then labels, each in event-time order. */
async function publish(from: number, to: number): Promise<void> {
  const pairs = (['steady', 'shift', 'drop'] as const).flatMap((m) => traffic(m, from, to));
  const inference = pairs.map((p) => p.inference).sort((a, b) => a.timestamp - b.timestamp);
  const truth = pairs.map((p) => p.truth).sort((a, b) => a.timestamp - b.timestamp);
  const inferenceEncoder = await avroEncoder(topics.inference, 'InferenceEvent');
  const truthEncoder = await avroEncoder(topics.groundTruth, 'GroundTruthEvent');
  const encode = async <T extends { prediction_id: string }>(
    events: T[],
    enc: { encode: (v: unknown) => Promise<Buffer> },
  ) => Promise.all(events.map(async (e) => ({ key: e.prediction_id, value: await enc.encode(e) })));
  await produce(kafka, topics.inference, await encode(inference, inferenceEncoder));
  await produce(kafka, topics.groundTruth, await encode(truth, truthEncoder));
}

/** Every alert committed to the alert topic so far (read_committed), in topic order per model. */
async function readAlerts(settleMs = 3000): Promise<Alert[]> {
  const consumer = kafka.consumer({ groupId: `verdicts-${Math.random().toString(16).slice(2)}` });
  const got: Alert[] = [];
  let last = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.alerts], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      got.push(await codecs.alert.decode(message.value!));
      last = Date.now();
    },
  });
  while (Date.now() - last < settleMs) await new Promise((r) => setTimeout(r, 200));
  await consumer.disconnect();
  return got;
}

async function alertsUntil(what: string, found: (alerts: Alert[]) => boolean): Promise<Alert[]> {
  return waitFor(what, () => readAlerts(500), found, 240_000);
}

const dropAlerts = (alerts: Alert[]) =>
  alerts.filter((a) => a.model_id === 'drop' && a.metric === 'accuracy_drop_pct');

/** is_final of the `drop` model's accuracy row of window `w`, as stored now. */
async function isFinal(w: number): Promise<number> {
  const [row] = await rows<{ is_final: number }>(
    ch,
    `SELECT is_final FROM ${db}.performance_metrics FINAL
     WHERE model_id = 'drop' AND window_size = '1m' AND segment = '' AND metric = 'accuracy'
       AND window_start_ms = ${T0 + w * MINUTE}`,
  );
  return Number(row?.is_final ?? -1);
}

beforeAll(async () => {
  const first = startServiceProcess('alerter', env); // migrates, creates the topics, registers the schemas
  services.push(first);
  await waitReady(first);
  const dir = await mkdtemp(path.join(tmpdir(), 'verdicts-'));
  for (const model of ['steady', 'shift', 'drop'] as const) await buildReference(model, dir);
  const state = { DRIFTLINE_STATE_DIR: await mkdtemp(path.join(tmpdir(), 'verdicts-state-')) };
  for (const service of ['label-joiner', 'performance-monitor', 'drift-monitor']) {
    const p = startServiceProcess(service, { ...env, ...state });
    services.push(p);
    await waitReady(p);
  }
}, 300_000);

afterAll(async () => {
  for (const p of services) await p.stop('SIGKILL');
  await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.close();
});

describe('verdicts over the real services at the default rules', () => {
  let early: Alert[] = [];

  it('shouldRaiseAProvisionalPerformanceAlertBeforeTheWindowIsFinal', async () => {
    // Event time reaches window 22: window 20 (the first with the drop) has ended but is open for 5 more minutes.
    await publish(0, CHANGE + 2);
    early = await alertsUntil('a provisional accuracy alert on drop', (a) =>
      dropAlerts(a).some((x) => x.provisional),
    );
    expect(await isFinal(CHANGE)).toBe(0);
    const provisional = dropAlerts(early).find((a) => a.provisional)!;
    expect(provisional).toMatchObject({
      kind: 'PERFORMANCE',
      status: 'FIRING',
      window_start: T0 + CHANGE * MINUTE,
    });
    expect(provisional.message).toMatch(/^PROVISIONAL /);
    const test = provisional.evidence[0]!;
    expect(test).toMatchObject({ test: 'two_proportion_z', baseline_count: 2000 });
    expect(test.baseline_source).toMatch(/^first 2000 labeled predictions/);
    expect(test.p_value!).toBeLessThan(0.001);
    expect(test.interval_high!).toBeLessThan(-0.1);
  }, 400_000);

  it('shouldConfirmItWhenTheWindowIsFinal', async () => {
    await publish(CHANGE + 2, CHANGE + 8);
    const all = await alertsUntil('the confirmation', (a) =>
      dropAlerts(a).some((x) => x.status === 'FIRING' && !x.provisional),
    );
    expect(await isFinal(CHANGE)).toBe(1);
    const [provisional, confirmed] = dropAlerts(all).filter((a) => a.window_start === T0 + CHANGE * MINUTE);
    expect([provisional?.provisional, confirmed?.provisional, confirmed?.status]).toEqual([
      true,
      false,
      'FIRING',
    ]);
    expect(confirmed!.message).toContain(`confirms provisional alert ${provisional!.alert_id}`);
    expect(dropAlerts(all).filter((a) => a.window_start < T0 + CHANGE * MINUTE)).toEqual([]);
  }, 400_000);

  it('shouldRaiseADataDriftAlertNamingTheShiftedFeatureInTheFirstShiftedWindow', async () => {
    // The drift windows close on the drift monitor's own clock: wait for the alert rather than assume it.
    const all = await alertsUntil('a DATA_DRIFT alert on shift', (a) =>
      a.some((x) => x.model_id === 'shift' && x.kind === 'DATA_DRIFT'),
    );
    const shift = all.filter((a) => a.model_id === 'shift');
    expect(shift.filter((a) => a.window_start < T0 + CHANGE * MINUTE)).toEqual([]);
    const first = shift.find((a) => a.kind === 'DATA_DRIFT' && a.status === 'FIRING')!;
    expect(first).toMatchObject({ metric: 'feature:x0', window_start: T0 + CHANGE * MINUTE });
    expect(first.evidence[0]).toMatchObject({ subject: 'x0', subject_type: 'feature' });
    expect(first.evidence[0]!.effect_size!).toBeGreaterThan(0.3);
  }, 120_000);

  it('shouldRaiseNoAlertOnAStationaryStreamOfMoreThanTwentyWindows', async () => {
    const [final] = await rows<{ n: string }>(
      ch,
      `SELECT count() AS n FROM ${db}.performance_metrics FINAL
       WHERE model_id = 'steady' AND window_size = '1m' AND segment = '' AND metric = 'accuracy' AND is_final = 1`,
    );
    expect(Number(final?.n)).toBeGreaterThanOrEqual(CHANGE + 2);
    const closed = () =>
      rows<{ n: string }>(
        ch,
        `SELECT count() AS n FROM ${db}.drift_metrics FINAL WHERE model_id = 'steady' AND feature = '__dataset__'`,
      ).then((r) => Number(r[0]?.n ?? 0));
    await waitFor("the steady model's drift windows", closed, (n) => n >= CHANGE + 2, 120_000);
    await new Promise((r) => setTimeout(r, 5000)); // ten alerter polls
    const all = await readAlerts();
    expect(all.filter((a) => a.model_id === 'steady')).toEqual([]);
  }, 120_000);

  it('shouldBeReadableWholeByPythonConfluentKafkaAvroDeserializer', async () => {
    const all = await readAlerts();
    const run = promisify(execFile);
    const { stdout: venv } = await run('bash', [path.join(ROOT, 'infra/python-env.sh')], {
      cwd: ROOT,
      timeout: 300_000,
    });
    const python = venv.trim().split('\n').pop()!;
    const script = path.join(ROOT, 'test/integration/python/consume_alerts.py');
    const args = [env.DRIFTLINE_KAFKA_BROKERS!, env.DRIFTLINE_SCHEMA_REGISTRY_URL!, String(all.length)];
    const { stdout } = await run(python, [script, ...args, topics.alerts], { timeout: 120_000 });
    const values = stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { value: Record<string, unknown> }).value);
    expect(values.map((v) => v.alert_id).sort()).toEqual(all.map((a) => a.alert_id).sort());
    const provisional = values.find((v) => v.provisional === true)!;
    expect(provisional).toMatchObject({ model_id: 'drop', status: 'FIRING' });
    expect((provisional.evidence as Record<string, unknown>[])[0]).toMatchObject({
      test: 'two_proportion_z',
      baseline_count: 2000,
    });
  }, 400_000);
});
