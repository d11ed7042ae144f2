import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../services/core/src/config/load.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { ProfileBuilder } from '../../services/drift-monitor/src/profile-builder.ts';
import { buildReferenceCommand } from '../../services/drift-monitor/src/reference-cli.ts';
import { DATASET_FEATURE, windowRows, type DriftMetricRow } from '../../services/drift-monitor/src/rows.ts';
import { DRIFT_SETTINGS } from '../../services/drift-monitor/src/settings.ts';
import { evaluateWindow } from '../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../services/drift-monitor/src/window-partials.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { countOrZero, rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, produce, testKafka } from './utils/kafka.ts';
import {
  scrapeMetrics,
  startServiceProcess,
  waitReady,
  type ServiceProcess,
} from './utils/service-process.ts';

// One minute of event time per window, 1,000 events 60 ms apart: the windows fill as fast as Kafka takes them.
const T0 = Date.parse('2026-03-02T00:00:00Z');
const MINUTE = 60_000;
const MODEL = 'fraud';
const ch = testClickHouse();
const kafka = testKafka();
const dir = mkdtempSync(path.join(tmpdir(), 'drift-'));
const started: ServiceProcess[] = [];
const databases: string[] = [];

function driftEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = isolatedEnv({
    DRIFTLINE_DRIFT_WINDOW: '1m',
    DRIFTLINE_DRIFT_GRACE: '5s',
    DRIFTLINE_DRIFT_CORRECTION: 'bonferroni',
    DRIFTLINE_DRIFT_CLOSE_INTERVAL: '300ms',
    ...extra,
  });
  env.DRIFTLINE_DRIFT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}drift`;
  env.DRIFTLINE_DRIFT_CONCEPT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}concept`;
  databases.push(env.DRIFTLINE_CLICKHOUSE_DATABASE!);
  return env;
}

/** `windows` windows of 1,000 events from T0, x0 shifted by `shift` standard deviations, 20 numeric features. */
function traffic(seed: number, firstWindow: number, windows: number, shift = 0): InferenceEvent[] {
  const gen = classifierTraffic({
    modelId: MODEL,
    modelVersion: 'v1',
    numericFeatures: 20,
    shift,
    seed,
    startMs: T0 + firstWindow * MINUTE,
    stepMs: 60,
    idPrefix: `s${seed}`,
  });
  return take(windows * 1000, gen).map((p) => p.inference);
}

/** Reference data as a JSON-lines file, and the profile the service will build from it (same content hash). */
function referenceFile() {
  const reference = take(
    20_000,
    classifierTraffic({
      modelId: MODEL,
      modelVersion: 'v1',
      numericFeatures: 20,
      seed: 7,
      startMs: T0 - 10 * 86_400_000,
      stepMs: 60,
    }),
  ).map((p) => p.inference);
  const file = path.join(dir, 'reference.jsonl');
  writeFileSync(file, reference.map((e) => JSON.stringify(e)).join('\n'));
  const builder = new ProfileBuilder();
  reference.forEach((e) => builder.add(e));
  return {
    file,
    profile: builder.build({ modelId: MODEL, modelVersion: 'v1', bins: 20, source: 'local', createdAt: 0 })
      .profile,
  };
}

async function publish(topic: string, events: InferenceEvent[]): Promise<void> {
  const enc = await avroEncoder(topic, 'InferenceEvent');
  await produce(
    kafka,
    topic,
    await Promise.all(events.map(async (e) => ({ key: e.prediction_id, value: await enc.encode(e) }))),
  );
}

type StoredRow = Omit<DriftMetricRow, 'window_start'> & { window_start: string };

async function driftRows(db: string): Promise<StoredRow[]> {
  return rows<StoredRow>(
    ch,
    `SELECT * FROM ${db}.drift_metrics FINAL WHERE feature != '__error__' ORDER BY window_start, feature, method`,
  );
}

const windowIndex = (r: StoredRow) => (Date.parse(`${r.window_start.replace(' ', 'T')}Z`) - T0) / MINUTE;

/** What the rows of window `w` must be: one pass over its events, the same tests, no Kafka, no partitions. */
function expectedRows(
  env: Record<string, string>,
  profile: ReturnType<typeof referenceFile>['profile'],
  events: InferenceEvent[],
  w: number,
): Map<string, DriftMetricRow> {
  const partial = new WindowPartial(profile);
  events.filter((e) => Math.floor((e.timestamp - T0) / MINUTE) === w).forEach((e) => partial.update(e));
  const evaluation = evaluateWindow(profile, partial, loadSettings(DRIFT_SETTINGS, env));
  const start = T0 + w * MINUTE;
  const closing = {
    modelId: MODEL,
    modelVersion: 'v1',
    windowStartMs: start,
    windowEndMs: start + MINUTE,
    partials: [],
    excluded: [],
    profileId: profile.profileId,
    fingerprint: '',
    inputVersion: 0,
  };
  const out = windowRows(
    closing,
    profile,
    evaluation,
    { total: partial.events, excluded: 0, mismatched: 0 },
    0,
  );
  return new Map(out.map((r) => [`${r.feature}|${r.method}`, r]));
}

function expectSameResults(stored: StoredRow[], expected: Map<string, DriftMetricRow>): void {
  expect(stored.length).toBe(expected.size);
  for (const r of stored) {
    const e = expected.get(`${r.feature}|${r.method}`);
    expect(e, `${r.feature}|${r.method}`).toBeDefined();
    expect([r.drifted, r.decisive, Number(r.sample_count), r.profile_id]).toEqual([
      e!.drifted,
      e!.decisive,
      e!.sample_count,
      e!.profile_id,
    ]);
    // Counts merge exactly; per-bin sums (Wasserstein) merge to rounding.
    expect(r.statistic).toBeCloseTo(e!.statistic, 9);
    if (e!.p_value !== null) expect(r.p_value).toBeCloseTo(e!.p_value, 12);
  }
}

async function startMonitor(env: Record<string, string>): Promise<ServiceProcess> {
  const p = startServiceProcess('drift-monitor', env);
  started.push(p);
  await waitReady(p);
  return p;
}

afterAll(async () => {
  for (const p of started) await p.stop('SIGKILL');
  for (const db of databases) await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.close();
});

describe('drift monitor end to end (real Kafka, registry, ClickHouse)', () => {
  const env = driftEnv();
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });

  it('shouldFlagOnlyTheShiftedFeatureInTheFirstWindowAfterTheShiftAndNoDatasetDriftBefore', async () => {
    const { file, profile } = referenceFile();
    const built = await buildReferenceCommand({ modelId: MODEL, modelVersion: 'v1', from: file, env });
    expect(built).toMatchObject({ profileId: profile.profileId, events: 20_000, stored: true });
    await startMonitor(env);
    // 20 stationary windows, 3 with x0 shifted by 0.5 sd, and a few events after them to move event time on.
    const events = [...traffic(11, 0, 20), ...traffic(12, 20, 3, 0.5), ...traffic(13, 23, 0.2, 0.5)];
    await publish(topics.inference, events);
    await waitFor(
      '23 closed windows',
      () =>
        countOrZero(ch, `SELECT count() FROM ${db}.drift_metrics FINAL WHERE feature = '${DATASET_FEATURE}'`),
      (n) => n >= 23,
      120_000,
    );
    const stored = await driftRows(db);
    const datasetRows = stored.filter((r) => r.feature === DATASET_FEATURE);
    expect(datasetRows.map((r) => Number(r.sample_count))).toEqual(Array(23).fill(1000));
    expect(datasetRows.slice(0, 20).map((r) => r.drifted)).toEqual(Array(20).fill(0));
    const firstShifted = stored.filter((r) => windowIndex(r) === 20 && r.decisive === 1 && r.drifted === 1);
    expect(firstShifted.map((r) => r.feature)).toContain('x0');
    expect(JSON.parse(datasetRows[20]!.detail).drifted_features).toContain('x0');
    const x0 = stored.find((r) => windowIndex(r) === 20 && r.feature === 'x0' && r.method === 'wasserstein')!;
    expect(x0.statistic).toBeGreaterThan(0.4);
    // Every window equals a single pass over its events: the merge of partials across partitions is exact.
    for (const w of [0, 19, 20])
      expectSameResults(
        stored.filter((r) => windowIndex(r) === w),
        expectedRows(env, profile, events, w),
      );
  });

  it('shouldDetectConceptDriftInTheErrorStreamOfJoinedPredictionsWhereRiverDoes', async () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../fixtures/drift/river-docstring-42.json', import.meta.url), 'utf8'),
    ) as {
      values: number[];
      runs: { detector: string; params: Record<string, number>; drifts: number[] }[];
    };
    const joined = fixture.values.map((v, i) => ({
      prediction_id: `j${i}`,
      model_id: 'churn',
      model_version: 'v3',
      predicted_at: T0 + i * 1000,
      labeled_at: T0 + i * 1000 + 500,
      predicted_label: 'a',
      label: v === 1 ? 'b' : 'a',
      correction: false,
    }));
    const enc = await avroEncoder(topics.joined, 'JoinedPrediction');
    await produce(
      kafka,
      topics.joined,
      await Promise.all(joined.map(async (j) => ({ key: j.model_id, value: await enc.encode(j) }))),
    );
    const detections = () =>
      rows<{ method: string; input_version: string; sample_count: string }>(
        ch,
        `SELECT method, input_version, sample_count FROM ${db}.drift_metrics FINAL WHERE feature = '__error__' ORDER BY method`,
      );
    const found = await waitFor('three detections', detections, (r) => r.length >= 3, 120_000);
    // The joined topic is keyed by model: one partition, offsets equal to the stream's indices.
    const river = (d: string) =>
      fixture.runs.find((r) => r.detector === d && (d !== 'ddm' || r.params.warm_start === 30))!.drifts[0]!;
    expect(found.map((r) => [r.method, Number(r.input_version), Number(r.sample_count)])).toEqual([
      ['adwin', river('adwin'), river('adwin') + 1],
      ['ddm', river('ddm'), river('ddm') + 1],
      ['page_hinkley', river('page_hinkley'), river('page_hinkley') + 1],
    ]);
  });
});

describe('drift monitor after SIGKILL between the partial-state write and the offset commit', () => {
  const env = driftEnv({ DRIFTLINE_DRIFT_BATCH_SIZE: '500' });
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });

  async function replayedBy(p: ServiceProcess): Promise<number> {
    const text = await scrapeMetrics(await p.port());
    return Number(/^driftline_drift_replayed_events_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
  }

  it('shouldKeepEveryWindowExactWhenTheWrittenBatchIsRedelivered', async () => {
    const { file, profile } = referenceFile();
    await buildReferenceCommand({ modelId: MODEL, modelVersion: 'v1', from: file, env });
    const first = await startMonitor({
      ...env,
      DRIFTLINE_CRASH_AT: 'after-effect-before-commit',
      DRIFTLINE_CRASH_AFTER: '3',
    });
    const events = [...traffic(21, 0, 4), ...traffic(22, 4, 2, 0.5), ...traffic(23, 6, 0.2, 0.5)];
    await publish(topics.inference, events);
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(await countOrZero(ch, `SELECT count() FROM ${db}.drift_window_partials`)).toBeGreaterThan(0);

    const second = await startMonitor(env);
    await waitFor(
      '6 closed windows',
      () =>
        countOrZero(ch, `SELECT count() FROM ${db}.drift_metrics FINAL WHERE feature = '${DATASET_FEATURE}'`),
      (n) => n >= 6,
      120_000,
    );
    // The restarted monitor saw again events that the stored partials already held, and skipped them.
    expect(await replayedBy(second)).toBeGreaterThan(0);
    const stored = await driftRows(db);
    expect(stored.filter((r) => r.feature === DATASET_FEATURE).map((r) => Number(r.sample_count))).toEqual(
      Array(6).fill(1000),
    );
    for (let w = 0; w < 6; w++)
      expectSameResults(
        stored.filter((r) => windowIndex(r) === w),
        expectedRows(env, profile, events, w),
      );
    expect(
      stored.filter((r) => windowIndex(r) === 4 && r.decisive === 1 && r.drifted === 1).map((r) => r.feature),
    ).toContain('x0');
  });
});

describe('drift monitor bootstrapping a profile from the first events of a version', () => {
  const env = driftEnv({ DRIFTLINE_DRIFT_BOOTSTRAP_EVENTS: '1000', DRIFTLINE_DRIFT_PROFILE_REFRESH: '1s' });
  env.DRIFTLINE_SINK_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}sink`;
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });

  it('shouldBuildTheProfileFromInferenceLogAndTestTheWindowsAfterIt', async () => {
    // The monitor first: it creates the topics, which the sink then finds with their leaders elected.
    await startMonitor(env);
    const sink = startServiceProcess('sink', env);
    started.push(sink);
    await waitReady(sink);
    await publish(topics.inference, traffic(31, 0, 1));
    const profileRows = () =>
      rows<{ source: string; event_count: string }>(
        ch,
        `SELECT source, event_count FROM ${db}.reference_profiles FINAL`,
      ).catch(() => []);
    const [profile] = await waitFor('a bootstrapped profile', profileRows, (r) => r.length > 0, 120_000);
    expect(profile).toEqual({ source: 'bootstrap:first 1000 events of inference_log', event_count: '1000' });
    // Let phase 1 look the version up again (DRIFTLINE_DRIFT_PROFILE_REFRESH) before the next windows arrive.
    await new Promise((r) => setTimeout(r, 1500));
    await publish(topics.inference, [...traffic(32, 1, 2), ...traffic(33, 3, 0.2)]);
    await waitFor(
      '2 closed windows',
      () =>
        countOrZero(ch, `SELECT count() FROM ${db}.drift_metrics FINAL WHERE feature = '${DATASET_FEATURE}'`),
      (n) => n >= 2,
      120_000,
    );
    const datasetRows = (await driftRows(db)).filter((r) => r.feature === DATASET_FEATURE);
    expect(datasetRows.map((r) => [windowIndex(r), Number(r.sample_count), r.drifted])).toEqual([
      [1, 1000, 0],
      [2, 1000, 0],
    ]);
  });
});
