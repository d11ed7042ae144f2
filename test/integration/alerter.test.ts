// The alerter over the real servers: window results are inserted straight into performance_metrics and
// drift_metrics of an isolated database (independent of the monitors' timing), the alerter runs as its own
// process, and the test reads what reached Kafka (read_committed, decoded with the project's codecs and with
// Python's confluent-kafka AvroDeserializer) and ClickHouse. Restarts, SIGKILLs and crash points in the middle
// must not add a single event.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { Alert, RetrainTrigger } from '../../services/core/src/records/records.generated.ts';
import { createCodecs } from '../../services/core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../services/core/src/serde/schema-registry.ts';
import { rows, scalar, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
// The dataset-share rule alone for drift (per-feature alerts: verdicts.test.ts), so each drift window raises
// at most one DATA_DRIFT alert here. These window rows carry no sample counts: performance rules compare points.
const env = isolatedEnv({
  DRIFTLINE_ALERTER_POLL_MS: '300',
  DRIFTLINE_ALERT__DEFAULTS__RULES__FEATURE_DRIFT__PER_FEATURE__ENABLED: 'false',
  DRIFTLINE_ALERT__DEFAULTS__RETRAIN__MAX_AGE: '"0s"',
  DRIFTLINE_ALERT__DEFAULTS__RETRAIN__NEW_LABELED_SAMPLES: '0',
});
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const ch = testClickHouse();
const kafka = testKafka();
const codecs = createCodecs(new SchemaRegistryClient({ url: env.DRIFTLINE_SCHEMA_REGISTRY_URL! }));
const seconds = (ms: number) => Math.floor(ms / 1000);

function perfRows(model: string, i: number, accuracy: number) {
  const startMs = T0 + i * HOUR;
  const figures: [string, number][] = [
    ['accuracy', accuracy],
    ['recall:cat', accuracy - 0.15],
    ['recall:dog', 0.9],
  ];
  return figures.map(([metric, value]) => ({
    ...{ model_id: model, model_version: 'v1', segment: '', window_size: '1h', window_id: startMs },
    ...{ window_start: seconds(startMs), window_end: seconds(startMs + HOUR), window_start_ms: startMs },
    ...{ window_end_ms: startMs + HOUR, metric, value, sample_count: 500, baseline: 0.9, delta: value - 0.9 },
    ...{ is_final: 1, revision: 1 },
  }));
}

function driftRows(model: string, i: number, drifted: string[], version = 'v1') {
  const startMs = T0 + i * HOUR;
  const common = { model_id: model, model_version: version, window_start: seconds(startMs) };
  const rest = { window_end: seconds(startMs + HOUR), p_value_adjusted: null, reason: '', basis: 'exact' };
  const more = {
    correction: 'bh',
    sample_count: 400,
    reference_count: 1000,
    profile_id: 'p',
    input_version: 1,
  };
  const row = (feature: string, method: string, statistic: number, p: number | null, isDrift: boolean) => ({
    ...common,
    ...rest,
    ...more,
    ...{ feature, feature_type: 'numeric', method, statistic, p_value: p, threshold: 0.05 },
    ...{ drifted: isDrift ? 1 : 0, decisive: 1, detail: '{}', computed_at: seconds(Date.now()) },
  });
  const features = ['age', 'income', 'tenure'].map((f) =>
    drifted.includes(f) ? row(f, 'ks', 0.42, 1e-6, true) : row(f, 'ks', 0.03, 0.7, false),
  );
  return [...features, row('__dataset__', 'share_drifted', drifted.length / 3, null, drifted.length > 0)];
}

async function insert(table: string, values: object[]): Promise<void> {
  await ch.insert({ table: `${db}.${table}`, values, format: 'JSONEachRow' });
}

/** Every committed record of a topic: reads until nothing new came for `settleMs` after at least `min`. */
async function readTopic(topic: string, min: number, settleMs = 3000): Promise<Buffer[]> {
  const consumer = kafka.consumer({ groupId: `alerter-test-${Math.random().toString(16).slice(2)}` });
  const got: Buffer[] = [];
  let last = Date.now();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      got.push(message.value!);
      last = Date.now();
    },
  });
  await waitFor(
    `${min} records on ${topic}`,
    async () => got.length,
    (n) => n >= min,
    90_000,
  );
  while (Date.now() - last < settleMs) await new Promise((r) => setTimeout(r, 200));
  await consumer.disconnect();
  return got;
}

async function alertsOf(model: string, min: number): Promise<Alert[]> {
  const all = await Promise.all((await readTopic(topics.alerts, min)).map((v) => codecs.alert.decode(v)));
  return all.filter((a) => a.model_id === model);
}

async function triggersOf(model: string, min: number): Promise<RetrainTrigger[]> {
  const all = await readTopic(topics.retrainTriggers, min);
  return (await Promise.all(all.map((v) => codecs.retrainTrigger.decode(v)))).filter(
    (t) => t.model_id === model,
  );
}

const stored = (table: string, model: string) =>
  scalar(ch, `SELECT count() FROM ${db}.${table} FINAL WHERE model_id = '${model}'`);

/** Runs the alerter until it kills itself at the crash point (after `after` passes). */
async function crashAt(point: string, after = 0): Promise<void> {
  const p = startServiceProcess('alerter', {
    ...env,
    DRIFTLINE_CRASH_AT: point,
    DRIFTLINE_CRASH_AFTER: String(after),
  });
  await p.exited;
  expect(p.child.signalCode, p.logs()).toBe('SIGKILL');
}

describe('alerter over the real servers', () => {
  let alerter: ServiceProcess;

  beforeAll(async () => {
    alerter = startServiceProcess('alerter', env); // migrates, creates the topics, registers the schemas
    await waitReady(alerter);
    await alerter.stop();
  });

  afterAll(async () => {
    await alerter?.stop();
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldRaiseOnePerformanceAlertAndOneTriggerAcrossCrashesAndHoldBackTheRest', async () => {
    const model = 'perf-model';
    await insert(
      'performance_metrics',
      [0.9, 0.8, 0.8].flatMap((acc, i) => perfRows(model, i, acc)),
    );
    await crashAt('after-produce-before-commit'); // FIRING + trigger produced, never committed
    await crashAt('after-commit-before-rows'); // committed, ClickHouse rows not written yet
    alerter = startServiceProcess('alerter', env);
    await waitReady(alerter);
    await waitFor(
      'rows of the outbox',
      () => stored('alerts', model),
      (n) => n === 1,
      30_000,
    );
    await insert(
      'performance_metrics',
      [0.8, 0.8].flatMap((acc, i) => perfRows(model, i + 3, acc)),
    );
    const port = await alerter.port();
    const heldBack = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(
        /driftline_alerter_retrain_held_back\{[^}]*model_id="perf-model"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0,
      );
    };
    expect(await waitFor('held-back triggers', heldBack, (n) => n === 2, 30_000)).toBe(2);

    const alerts = await alertsOf(model, 1);
    // It opens on the first breaching window; the trigger waits for a second one (retrain.confirm_windows).
    expect(alerts.map((a) => [a.kind, a.status, a.severity, a.metric, a.window_start])).toEqual([
      ['PERFORMANCE', 'FIRING', 'CRITICAL', 'accuracy_drop_pct', T0 + HOUR],
    ]);
    expect(alerts[0]!.evidence.find((e) => e.subject_type === 'class')).toMatchObject({ subject: 'cat' });
    expect(alerts[0]!.diagnosis).toBe('concept_drift');
    const triggers = await triggersOf(model, 1);
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({
      reasons: ['critical_performance_drop'],
      alert_ids: [alerts[0]!.alert_id],
    });
    expect(await stored('alerts', model)).toBe(1);
    expect(await stored('retrain_triggers', model)).toBe(1);
  });

  it('shouldFireOnceNamingTheDriftedFeatureAndResolveOnceAcrossASigkill', async () => {
    const model = 'drift-model';
    const pattern = [[], ['age'], ['age'], ['age'], [], [], []];
    await insert(
      'drift_metrics',
      pattern.slice(0, 3).flatMap((d, i) => driftRows(model, i, d)),
    );
    await waitFor(
      'FIRING in ClickHouse',
      () => stored('alerts', model),
      (n) => n === 1,
      30_000,
    );
    await alerter.stop('SIGKILL');
    await insert(
      'drift_metrics',
      pattern.slice(3).flatMap((d, i) => driftRows(model, i + 3, d)),
    );
    alerter = startServiceProcess('alerter', env);
    await waitReady(alerter);
    await waitFor(
      'RESOLVED in ClickHouse',
      () => stored('alerts', model),
      (n) => n === 2,
      30_000,
    );

    const alerts = await alertsOf(model, 3);
    expect(alerts.map((a) => [a.kind, a.status, a.severity, a.window_start])).toEqual([
      ['DATA_DRIFT', 'FIRING', 'WARNING', T0 + 2 * HOUR],
      ['DATA_DRIFT', 'RESOLVED', 'INFO', T0 + 5 * HOUR],
    ]);
    const features = alerts[0]!.evidence.filter((e) => e.subject_type === 'feature');
    expect(features.map((e) => [e.subject, e.method, e.score])).toEqual([['age', 'ks', 0.42]]);
    expect(alerts[0]!.message).toContain('age');
    const row = await rows<{ evidence_subjects: string[]; status: string }>(
      ch,
      `SELECT evidence_subjects, status FROM ${db}.alerts FINAL WHERE model_id = '${model}' ORDER BY window_start`,
    );
    expect(row.map((r) => r.status)).toEqual(['FIRING', 'RESOLVED']);
    expect(row[0]!.evidence_subjects).toContain('age');
  });

  it('shouldBeReadableByPythonConfluentKafkaAvroDeserializer', async () => {
    const { stdout: venv } = await promisify(execFile)('bash', [path.join(ROOT, 'infra/python-env.sh')], {
      cwd: ROOT,
      timeout: 300_000,
    });
    const python = venv.trim().split('\n').pop()!;
    const script = path.join(ROOT, 'test/integration/python/consume_alerts.py');
    const args = [script, env.DRIFTLINE_KAFKA_BROKERS!, env.DRIFTLINE_SCHEMA_REGISTRY_URL!, '4'];
    const { stdout } = await promisify(execFile)(python, [...args, topics.alerts, topics.retrainTriggers], {
      timeout: 120_000,
    });
    const records = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { topic: string; key: string; value: Record<string, unknown> });
    const trigger = records.find((r) => r.topic === topics.retrainTriggers)!;
    expect(trigger.key).toBe('perf-model');
    expect(trigger.value).toMatchObject({ reasons: ['critical_performance_drop'], model_version: 'v1' });
    const drift = records.find((r) => r.topic === topics.alerts && r.value.kind === 'DATA_DRIFT')!;
    expect(drift.value).toMatchObject({ status: 'FIRING', model_id: 'drift-model', metric: 'share_drifted' });
    expect((drift.value.evidence as { subject: string }[])[0]!.subject).toBe('age');
  });

  it('shouldExitNonZeroNamingFileRuleAndSettingWhenTheRulesFileIsBad', async () => {
    const shipped = JSON.parse(readFileSync(path.join(ROOT, 'infra/alerting/rules.json'), 'utf8'));
    shipped.models = { fraud: { rules: { performance: { accuracy_drop: { critical_pct: 'five' } } } } };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'alerter-rules-')), 'rules.json');
    writeFileSync(file, JSON.stringify(shipped));
    const p = startServiceProcess('alerter', { ...env, DRIFTLINE_ALERT_RULES_FILE: file });
    expect(await p.exited).toBe(1);
    expect(p.logs()).toContain(
      `rules file ${file}: model fraud: rule performance.accuracy_drop: setting critical_pct: expected a number, got \\"five\\"`,
    );
  });

  it('shouldResolveTheAlertOfAVersionThatStoppedGettingWindowsOnceAcrossASigkill', async () => {
    const model = 'rollout-model';
    const staleEnv = { ...env, DRIFTLINE_ALERTER_STALE_AFTER: '3h' };
    const drifting = ['age', 'income'];
    const B = 10;
    const both = (from: number, pattern: string[][]) =>
      pattern.flatMap((d, i) => [
        ...driftRows(model, from + i, d, 'v1'),
        ...driftRows(model, from + i, d, 'v2'),
      ]);
    const v2 = (from: number, pattern: string[][]) =>
      pattern.flatMap((d, i) => driftRows(model, from + i, d, 'v2'));
    await alerter.stop();
    alerter = startServiceProcess('alerter', staleEnv);
    await waitReady(alerter);
    // Both versions drift in windows B..B+2 (both fire); then v1 is retired and only v2 gets windows B+3..B+6,
    // still drifting. At the window ending B+7 the model is 4h past v1's last window (B+3): more than 3h.
    await insert('drift_metrics', both(B, [[], drifting, drifting]));
    await waitFor(
      'two FIRING',
      () => stored('alerts', model),
      (n) => n === 2,
      30_000,
    );
    await insert('drift_metrics', v2(B + 3, [drifting, drifting, drifting, drifting]));
    await waitFor(
      'the stale RESOLVED',
      () => stored('alerts', model),
      (n) => n === 3,
      30_000,
    );
    // A SIGKILL right after, then more v2 windows (clear twice: v2 resolves on its own, the sign the restarted
    // alerter evaluated them): the restored state knows v1 is done, nothing about it is published again.
    await alerter.stop('SIGKILL');
    await insert('drift_metrics', v2(B + 7, [[], []]));
    alerter = startServiceProcess('alerter', staleEnv);
    await waitReady(alerter);
    await waitFor(
      'v2 RESOLVED',
      () => stored('alerts', model),
      (n) => n === 4,
      30_000,
    );

    const alerts = await alertsOf(model, 4);
    expect(alerts.map((a) => [a.model_version, a.kind, a.status, a.window_start, a.window_end])).toEqual([
      ['v1', 'DATA_DRIFT', 'FIRING', T0 + (B + 2) * HOUR, T0 + (B + 3) * HOUR],
      ['v2', 'DATA_DRIFT', 'FIRING', T0 + (B + 2) * HOUR, T0 + (B + 3) * HOUR],
      ['v1', 'DATA_DRIFT', 'RESOLVED', T0 + (B + 3) * HOUR, T0 + (B + 7) * HOUR],
      ['v2', 'DATA_DRIFT', 'RESOLVED', T0 + (B + 8) * HOUR, T0 + (B + 9) * HOUR],
    ]);
    const stale = alerts[2]!;
    expect(stale.message).toContain(
      `no drift windows for version v1 since 2026-03-01T13:00:00.000Z while the model's reached 2026-03-01T17:00:00.000Z (more than 3h): the version stopped receiving traffic`,
    );
    expect(stale).toMatchObject({ severity: 'INFO', diagnosis: 'operational', metric: 'share_drifted' });
    expect(stale.evidence).toMatchObject([{ subject: 'no_windows', score: 4, threshold: 3 }]);
    expect(alerts[3]!.message).not.toContain('no drift windows');
    const row = await rows<{ model_version: string; status: string; message: string }>(
      ch,
      `SELECT model_version, status, message FROM ${db}.alerts FINAL WHERE model_id = '${model}' ORDER BY window_end, model_version`,
    );
    expect(row.map((r) => [r.model_version, r.status])).toEqual([
      ['v1', 'FIRING'],
      ['v2', 'FIRING'],
      ['v1', 'RESOLVED'],
      ['v2', 'RESOLVED'],
    ]);
    expect(row[2]!.message).toBe(stale.message);
  });
  it('shouldEvaluateANewModelWhoseFirstWindowsCloseBehindTheOtherModels', async () => {
    // Other models' cursors are at T0 + 10 h and later by now; this one's labels come late, so its first
    // performance windows (T0 .. T0 + 3 h) close after theirs. It must be read from the look-back, not skipped.
    const model = 'late-labels-model';
    await insert(
      'performance_metrics',
      [0.9, 0.8, 0.8].flatMap((acc, i) => perfRows(model, i, acc)),
    );
    await waitFor(
      'its FIRING in ClickHouse',
      () => stored('alerts', model),
      (n) => n === 1,
      30_000,
    );
    const alerts = await alertsOf(model, 1);
    expect(alerts.map((a) => [a.kind, a.status, a.metric, a.window_start])).toEqual([
      ['PERFORMANCE', 'FIRING', 'accuracy_drop_pct', T0 + HOUR],
    ]);
  });
});
