import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../services/core/src/config/load.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { ProfileBuilder } from '../../services/drift-monitor/src/profile-builder.ts';
import { buildReferenceCommand } from '../../services/drift-monitor/src/reference-cli.ts';
import { DATASET_FEATURE } from '../../services/drift-monitor/src/rows.ts';
import { DRIFT_SETTINGS } from '../../services/drift-monitor/src/settings.ts';
import { evaluateWindow } from '../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../services/drift-monitor/src/window-partials.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

// What any producer may do to the drift monitor: clocks a day apart, a week-old backfill after live traffic,
// re-sent predictions, a model that goes quiet. One-minute windows of event time.
const T0 = Date.parse('2026-03-02T00:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;
const ch = testClickHouse();
const kafka = testKafka();
const dir = mkdtempSync(path.join(tmpdir(), 'drift-producers-'));
const started: ServiceProcess[] = [];
const databases: string[] = [];

function driftEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = isolatedEnv({
    DRIFTLINE_DRIFT_WINDOW: '1m',
    DRIFTLINE_DRIFT_GRACE: '5s',
    DRIFTLINE_DRIFT_CLOSE_INTERVAL: '300ms',
    ...extra,
  });
  env.DRIFTLINE_DRIFT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}drift`;
  env.DRIFTLINE_DRIFT_CONCEPT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}concept`;
  databases.push(env.DRIFTLINE_CLICKHOUSE_DATABASE!);
  return env;
}

/** `count` events of `model` from `startMs`, 5 numeric features, `perWindow` events per minute. */
function traffic(model: string, seed: number, startMs: number, count: number, perWindow: number) {
  const gen = classifierTraffic({
    modelId: model,
    modelVersion: 'v1',
    numericFeatures: 5,
    seed,
    startMs,
    stepMs: MINUTE / perWindow,
    idPrefix: `${model}-${seed}-`,
  });
  return take(count, gen).map((p) => p.inference);
}

const reference = traffic('ref', 7, T0 - 30 * DAY, 5000, 1000);

/** Stores the reference profile of `model` v1 and returns it as the service will read it. */
async function storeProfile(env: Record<string, string>, model: string) {
  const file = path.join(dir, `${model}.jsonl`);
  writeFileSync(file, reference.map((e) => JSON.stringify(e)).join('\n'));
  await buildReferenceCommand({ modelId: model, modelVersion: 'v1', from: file, env });
  const b = new ProfileBuilder();
  reference.forEach((e) => b.add(e));
  return b.build({ modelId: model, modelVersion: 'v1', bins: 20, source: 'local', createdAt: 0 }).profile;
}

async function publish(topic: string, events: InferenceEvent[]): Promise<void> {
  const enc = await avroEncoder(topic, 'InferenceEvent');
  const messages = await Promise.all(
    events.map(async (e) => ({ key: e.prediction_id, value: await enc.encode(e) })),
  );
  await produce(kafka, topic, messages);
}

async function startMonitor(env: Record<string, string>): Promise<ServiceProcess> {
  const p = startServiceProcess('drift-monitor', env);
  started.push(p);
  await waitReady(p);
  return p;
}

interface Stored {
  model_id: string;
  start_ms: string;
  feature: string;
  method: string;
  statistic: number;
  p_value: number | null;
  sample_count: string;
}

async function stored(db: string): Promise<Stored[]> {
  return rows<Stored>(
    ch,
    `SELECT model_id, toUInt64(window_start) * 1000 AS start_ms, feature, method, statistic, p_value, sample_count
     FROM ${db}.drift_metrics FINAL WHERE feature != '__error__' ORDER BY model_id, window_start, feature, method`,
  );
}

/** [model, window start, sample count] of every closed window. */
async function closedWindows(db: string): Promise<[string, number, number][]> {
  return (await stored(db))
    .filter((r) => r.feature === DATASET_FEATURE)
    .map((r) => [r.model_id, Number(r.start_ms), Number(r.sample_count)]);
}

/** The rows one window must have: a single pass over its unique events, no Kafka, no partitions. */
function expectedTests(
  env: Record<string, string>,
  profile: ReturnType<ProfileBuilder['build']>['profile'],
  events: InferenceEvent[],
) {
  const partial = new WindowPartial(profile);
  events.forEach((e) => partial.update(e));
  const evaluation = evaluateWindow(profile, partial, loadSettings(DRIFT_SETTINGS, env));
  return new Map(evaluation.columns.flatMap((c) => c.rows.map((r) => [`${c.name}|${r.method}`, r] as const)));
}

function expectSameTests(rowsOfWindow: Stored[], expected: ReturnType<typeof expectedTests>): void {
  const tested = rowsOfWindow.filter((r) => expected.has(`${r.feature}|${r.method}`));
  expect(tested.length).toBe(expected.size);
  for (const r of tested) {
    const e = expected.get(`${r.feature}|${r.method}`)!;
    // Category counts and KS on raw values are exact; per-bin sums (Wasserstein) merge to rounding.
    expect(r.statistic, `${r.feature}|${r.method}`).toBeCloseTo(e.statistic, 9);
    if (e.pValue !== null) expect(r.p_value, `${r.feature}|${r.method}`).toBeCloseTo(e.pValue, 12);
  }
}

afterAll(async () => {
  for (const p of started) await p.stop('SIGKILL');
  for (const db of databases) await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.close();
});

describe('drift monitor with models on different clocks (real Kafka, registry, ClickHouse)', () => {
  const env = driftEnv();
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });

  it('shouldWindowAModelADayBehindAndAWeekOldBackfillAsIfEachWereAlone', async () => {
    const profiles = {
      live: await storeProfile(env, 'live'),
      lagging: await storeProfile(env, 'lagging'),
      backfill: await storeProfile(env, 'backfill'),
    };
    await startMonitor(env);
    // Three windows of 300 events each, then a few events that move the model's clock past the third.
    const run = (model: string, seed: number, startMs: number) => [
      ...traffic(model, seed, startMs, 900, 300),
      ...traffic(model, seed + 1, startMs + 3 * MINUTE + 10_000, 5, 300),
    ];
    const live = run('live', 11, T0 + DAY);
    const lagging = run('lagging', 21, T0);
    const backfill = run('backfill', 31, T0 + DAY - 7 * DAY);
    // Live traffic first: on today's code its clock, a day ahead, made the others' events late.
    await publish(topics.inference, live);
    await publish(topics.inference, lagging);
    await publish(topics.inference, backfill);
    const closed = await waitFor(
      '9 closed windows',
      () => closedWindows(db),
      (w) => w.length >= 9,
      120_000,
    );
    const starts = (base: number) => [0, 1, 2].map((w) => base + w * MINUTE);
    expect(closed).toEqual([
      ...starts(T0 + DAY - 7 * DAY).map((s) => ['backfill', s, 300]),
      ...starts(T0).map((s) => ['lagging', s, 300]),
      ...starts(T0 + DAY).map((s) => ['live', s, 300]),
    ]);
    const all = await stored(db);
    const second = (events: InferenceEvent[], base: number) =>
      events.filter((e) => e.timestamp >= base + MINUTE && e.timestamp < base + 2 * MINUTE);
    expectSameTests(
      all.filter((r) => r.model_id === 'lagging' && Number(r.start_ms) === T0 + MINUTE),
      expectedTests(env, profiles.lagging, second(lagging, T0)),
    );
  });
});

describe('drift monitor with 1% re-sent predictions', () => {
  const env = driftEnv();
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });

  it('shouldCountEachPredictionOnceAndEqualTheStatisticsOfTheUniqueEvents', async () => {
    const profile = await storeProfile(env, 'm');
    await startMonitor(env);
    const unique = traffic('m', 41, T0, 2000, 1000);
    // 1% of each window sent again, later in the stream (a producer retry), then events moving the clock on.
    const resent = unique.filter((_, i) => i % 100 === 37);
    await publish(topics.inference, unique.slice(0, 1000));
    await publish(topics.inference, [...resent.slice(0, 10), ...unique.slice(1000), ...resent.slice(10)]);
    await publish(topics.inference, traffic('m', 42, T0 + 2 * MINUTE + 10_000, 5, 1000));
    const closed = await waitFor(
      '2 closed windows',
      () => closedWindows(db),
      (w) => w.length >= 2,
      120_000,
    );
    expect(closed).toEqual([
      ['m', T0, 1000],
      ['m', T0 + MINUTE, 1000],
    ]);
    const all = await stored(db);
    for (const w of [0, 1]) {
      const start = T0 + w * MINUTE;
      expectSameTests(
        all.filter((r) => Number(r.start_ms) === start),
        expectedTests(env, profile, unique.slice(w * 1000, (w + 1) * 1000)),
      );
    }
  });
});

describe('drift monitor with re-sent predictions after a restart', () => {
  const env = driftEnv();
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });

  it('shouldRememberTheIdsOfAnOpenWindowAcrossASigkill', async () => {
    await storeProfile(env, 'm');
    const first = await startMonitor(env);
    const unique = traffic('m', 61, T0, 1000, 1000);
    await publish(topics.inference, unique);
    await waitFor(
      'the window state of 1,000 events',
      () => rows<{ n: string }>(ch, `SELECT sum(event_count) AS n FROM ${db}.drift_window_partials FINAL`),
      (r) => Number(r[0]?.n) === 1000,
      60_000,
    );
    await first.stop('SIGKILL');
    // The restarted monitor knows the window's ids only from ClickHouse (drift_window_ids).
    await startMonitor(env);
    const resent = unique.filter((_, i) => i % 100 === 37);
    await publish(topics.inference, [...resent, ...traffic('m', 62, T0 + MINUTE + 10_000, 5, 1000)]);
    const closed = await waitFor(
      'the window closed',
      () => closedWindows(db),
      (w) => w.length >= 1,
      120_000,
    );
    expect(closed).toEqual([['m', T0, 1000]]);
  });
});

describe('drift monitor with a model that goes quiet', () => {
  const env = driftEnv({ DRIFTLINE_DRIFT_IDLE: '2s' });
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });

  it('shouldCloseTheLastWindowAfterTheIdleTimeWithoutALaterEvent', async () => {
    await storeProfile(env, 'quiet');
    await startMonitor(env);
    // Half a window, and nothing after it: its event time never passes the window's end.
    await publish(topics.inference, traffic('quiet', 51, T0, 150, 300));
    const closed = await waitFor(
      'the quiet window closed',
      () => closedWindows(db),
      (w) => w.length >= 1,
      60_000,
    );
    expect(closed).toEqual([['quiet', T0, 150]]);
  });
});
