import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { driftConditions } from '../../services/alerter/src/drift-conditions.ts';
import { readDriftWindows } from '../../services/alerter/src/drift-inputs.ts';
import { parseRules } from '../../services/alerter/src/rules/load.ts';
import { loadSettings } from '../../services/core/src/config/load.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { mulberry32, normalGenerator } from '../../services/core/src/stats/random.ts';
import { ProfileBuilder } from '../../services/drift-monitor/src/profile-builder.ts';
import { buildReferenceCommand } from '../../services/drift-monitor/src/reference-cli.ts';
import {
  DATASET_FEATURE,
  EMBEDDING_PREFIX,
  MULTIVARIATE_FEATURE,
  windowRows,
  type DriftMetricRow,
} from '../../services/drift-monitor/src/rows.ts';
import { DRIFT_SETTINGS } from '../../services/drift-monitor/src/settings.ts';
import { evaluateWindow } from '../../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../../services/drift-monitor/src/window-partials.ts';
import { countOrZero, rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

// One minute of event time per window, 500 events 120 ms apart.
const T0 = Date.parse('2026-03-02T00:00:00Z');
const MINUTE = 60_000;
const PER_WINDOW = 500;
const DIM = 384;
const MODEL = 'search';
const ch = testClickHouse();
const kafka = testKafka();
const dir = mkdtempSync(path.join(tmpdir(), 'drift-mv-'));
const started: ServiceProcess[] = [];
const databases: string[] = [];

const space = normalGenerator(mulberry32(5));
const center = Array.from({ length: DIM }, () => 0.3 * space());
const spread = Array.from({ length: DIM }, (_, d) => 0.1 + 0.9 * Math.exp(-d / 40));
const directions = [0, 1, 2].map(() => {
  const v = Array.from({ length: DIM }, () => space());
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
});

/**
 * Six standard-normal features (x0, x1 correlated `rho`; x2..x5 independent) and a 384-d `text` embedding
 * whose mean moves by `shift` along 3 directions. Every feature's marginal is the same whatever `rho`.
 */
function traffic(seed: number, startMs: number, count: number, rho: number, shift: number): InferenceEvent[] {
  const normal = normalGenerator(mulberry32(seed));
  return Array.from({ length: count }, (_, i) => {
    const x0 = normal();
    const features: InferenceEvent['features'] = { x0, x1: rho * x0 + Math.sqrt(1 - rho * rho) * normal() };
    for (let f = 2; f < 6; f++) features[`x${f}`] = normal();
    const text = center.map(
      (c, d) => c + spread[d]! * normal() + shift * directions.reduce((s, u) => s + u[d]!, 0),
    );
    return {
      prediction_id: `s${seed}-${i}`,
      model_id: MODEL,
      model_version: 'v1',
      timestamp: startMs + i * (MINUTE / PER_WINDOW),
      features,
      prediction: { label: x0 > 0 ? 'a' : 'b', scores: null, value: null },
      embeddings: { text: Array.from(Float32Array.from(text)) },
    };
  });
}

const windowOf = (w: number, seed: number, rho: number, shift: number) =>
  traffic(seed, T0 + w * MINUTE, PER_WINDOW, rho, shift);

async function publish(topic: string, events: InferenceEvent[]): Promise<void> {
  const enc = await avroEncoder(topic, 'InferenceEvent');
  await produce(
    kafka,
    topic,
    await Promise.all(events.map(async (e) => ({ key: e.prediction_id, value: await enc.encode(e) }))),
  );
}

type StoredRow = Omit<DriftMetricRow, 'window_start'> & { window_start: string };
const windowIndex = (r: StoredRow) => (Date.parse(`${r.window_start.replace(' ', 'T')}Z`) - T0) / MINUTE;

afterAll(async () => {
  for (const p of started) await p.stop('SIGKILL');
  for (const db of databases) await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.close();
});

/**
 * The alerter reads the stored windows (its own query, real ClickHouse and Kafka): the multivariate and
 * embedding conditions breach in the changed windows only, the multivariate one naming x0 and x1 first.
 */
async function alerterWindows(db: string, topics: { inference: string; deadLetter: string }) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const bound = { sinceMs: 0, newSeriesSinceMs: 0, known: [] };
    const deps = {
      clickhouse: ch,
      database: db,
      admin,
      performanceWindow: '1h',
      percentiles: [],
      deadLetterTopic: topics.deadLetter,
      inputTopics: [topics.inference],
    };
    return await readDriftWindows(deps, bound);
  } finally {
    await admin.disconnect();
  }
}

describe('multivariate and embedding drift end to end (real Kafka, registry, ClickHouse)', () => {
  const env = isolatedEnv({
    DRIFTLINE_DRIFT_WINDOW: '1m',
    DRIFTLINE_DRIFT_GRACE: '5s',
    DRIFTLINE_DRIFT_CLOSE_INTERVAL: '300ms',
  });
  env.DRIFTLINE_DRIFT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}drift`;
  env.DRIFTLINE_DRIFT_CONCEPT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}concept`;
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  databases.push(db);
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });

  const expectAlerterVerdicts = async () => {
    const rules = parseRules(readFileSync('infra/alerting/rules.json', 'utf8'), 'rules.json', {}).defaults;
    const windows = (await alerterWindows(db, topics)).filter((w) => w.startMs < T0 + 6 * MINUTE);
    windows.sort((a, b) => a.startMs - b.startMs);
    const verdicts = windows.map((w) =>
      driftConditions(w, rules, null)
        .filter((c) => c.metric === 'multivariate' || c.metric === 'embedding:text')
        .map((c) => `${c.metric}:${c.verdict.level}`),
    );
    const quiet = ['multivariate:clear', 'embedding:text:clear'];
    const breach = ['multivariate:breach', 'embedding:text:breach'];
    expect(verdicts).toEqual([quiet, quiet, quiet, quiet, breach, breach]);
    const alert = driftConditions(windows[4]!, rules, null).find((c) => c.metric === 'multivariate')!;
    expect(
      alert.evidence
        .slice(1, 3)
        .map((e) => e.subject)
        .sort(),
    ).toEqual(['x0', 'x1']);
  };

  it('shouldFlagTheCorrelationChangeAndTheEmbeddingShiftInTheFirstChangedWindowOnly', async () => {
    const reference = traffic(1, T0 - 86_400_000, 5000, 0.8, 0);
    const file = path.join(dir, 'reference.jsonl');
    writeFileSync(file, reference.map((e) => JSON.stringify(e)).join('\n'));
    const built = await buildReferenceCommand({ modelId: MODEL, modelVersion: 'v1', from: file, env });
    const builder = new ProfileBuilder();
    reference.forEach((e) => builder.add(e));
    const profile = builder.build({
      modelId: MODEL,
      modelVersion: 'v1',
      source: 'local',
      createdAt: 0,
    }).profile;
    expect(built).toMatchObject({ profileId: profile.profileId, stored: true });
    expect(profile.multivariate?.reconstruction.features).toHaveLength(6);
    expect(profile.embeddings?.map((e) => e.name)).toEqual(['text']);

    const p = startServiceProcess('drift-monitor', env);
    started.push(p);
    await waitReady(p);
    // 4 stationary windows, then 2 with x0-x1's correlation flipped and the embedding shifted, then a few
    // events to move event time past them.
    const windows = [0, 1, 2, 3].map((w) => windowOf(w, 10 + w, 0.8, 0));
    windows.push(windowOf(4, 20, -0.8, 0.25), windowOf(5, 21, -0.8, 0.25));
    const events = [...windows.flat(), ...traffic(22, T0 + 6 * MINUTE, 100, -0.8, 0.25)];
    await publish(topics.inference, events);
    await waitFor(
      '6 closed windows',
      () =>
        countOrZero(ch, `SELECT count() FROM ${db}.drift_metrics FINAL WHERE feature = '${DATASET_FEATURE}'`),
      (n) => n >= 6,
      180_000,
    );
    const stored = await rows<StoredRow>(
      ch,
      `SELECT * FROM ${db}.drift_metrics FINAL WHERE feature != '__error__' ORDER BY window_start, feature, method`,
    );
    const decided = (feature: string) =>
      stored
        .filter((r) => r.feature === feature && r.decisive === 1 && windowIndex(r) < 6)
        .map((r) => [windowIndex(r), r.drifted]);
    expect(decided(MULTIVARIATE_FEATURE)).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 1],
      [5, 1],
    ]);
    expect(decided(`${EMBEDDING_PREFIX}text`)).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 1],
      [5, 1],
    ]);
    // The univariate tests do not see it: x0 and x1 never drift, nor does the dataset; one chance flag of
    // an unchanged feature in 36 tests at 5% is noise (this stream has one, x3 in window 5).
    const univariate = stored.filter((r) => /^x\d$/.test(r.feature) && r.decisive === 1 && r.drifted === 1);
    expect(univariate.filter((r) => r.feature === 'x0' || r.feature === 'x1')).toEqual([]);
    expect(univariate.length).toBeLessThanOrEqual(1);
    expect(decided(DATASET_FEATURE).map(([, drifted]) => drifted)).toEqual([0, 0, 0, 0, 0, 0]);
    const changed = stored.find((r) => windowIndex(r) === 4 && r.feature === MULTIVARIATE_FEATURE)!;
    expect(
      JSON.parse(changed.detail)
        .contributors.slice(0, 2)
        .map((c: { feature: string }) => c.feature)
        .sort(),
    ).toEqual(['x0', 'x1']);
    await expectAlerterVerdicts();
    // Merged across partitions, each window equals one pass over its events.
    for (const w of [0, 4]) {
      const partial = new WindowPartial(profile);
      windows[w]!.forEach((e) => partial.update(e));
      const evaluation = evaluateWindow(profile, partial, loadSettings(DRIFT_SETTINGS, env));
      const expected = windowRows(
        {
          modelId: MODEL,
          modelVersion: 'v1',
          windowStartMs: T0 + w * MINUTE,
          windowEndMs: T0 + (w + 1) * MINUTE,
          partials: [],
          excluded: [],
          profileId: profile.profileId,
          fingerprint: '',
          inputVersion: 0,
        },
        profile,
        evaluation,
        { total: PER_WINDOW, excluded: 0, mismatched: 0 },
        0,
      ).filter((r) => r.feature === MULTIVARIATE_FEATURE || r.feature.startsWith(EMBEDDING_PREFIX));
      for (const e of expected) {
        const r = stored.find(
          (s) => windowIndex(s) === w && s.feature === e.feature && s.method === e.method,
        )!;
        expect([r.drifted, Number(r.sample_count)]).toEqual([e.drifted, e.sample_count]);
        expect(r.statistic).toBeCloseTo(e.statistic, 9);
        expect(r.threshold!).toBeCloseTo(e.threshold!, 9);
      }
    }
  });
});

describe('embeddings kept by the sink and a profile bootstrapped from them', () => {
  const env = isolatedEnv({
    DRIFTLINE_DRIFT_WINDOW: '1m',
    DRIFTLINE_DRIFT_GRACE: '5s',
    DRIFTLINE_DRIFT_CLOSE_INTERVAL: '300ms',
    DRIFTLINE_DRIFT_BOOTSTRAP_EVENTS: '1000',
    DRIFTLINE_DRIFT_PROFILE_REFRESH: '1s',
    DRIFTLINE_SINK_EMBEDDINGS: 'true',
  });
  env.DRIFTLINE_DRIFT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}drift`;
  env.DRIFTLINE_DRIFT_CONCEPT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}concept`;
  env.DRIFTLINE_SINK_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}sink`;
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  databases.push(db);
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });

  it('shouldStoreVectorsInInferenceLogAndTestTheEmbeddingWhenTheSinkKeepsThem', async () => {
    for (const name of ['drift-monitor', 'sink']) {
      const p = startServiceProcess(name, env);
      started.push(p);
      await waitReady(p);
    }
    // Two windows of the version's first 1,000 events make its profile; the next windows are tested.
    await publish(topics.inference, [windowOf(0, 40, 0.8, 0), windowOf(1, 41, 0.8, 0)].flat());
    const stored = await waitFor(
      'the bootstrapped profile',
      () =>
        rows<{ profile: string }>(ch, `SELECT profile FROM ${db}.reference_profiles FINAL`).catch(() => []),
      (r) => r.length > 0,
      120_000,
    );
    const profile = JSON.parse(stored[0]!.profile) as { embeddings?: { name: string; count: number }[] };
    expect(profile.embeddings?.map((e) => [e.name, e.count])).toEqual([['text', 1000]]);
    // The vectors as JSON (384 floats: thousands of characters), not empty as with the setting off.
    const [vector] = await rows<{ n: string }>(
      ch,
      `SELECT toString(min(length(embeddings))) AS n FROM ${db}.inference_log FINAL`,
    );
    expect(Number(vector!.n)).toBeGreaterThan(DIM * 2);
    await new Promise((r) => setTimeout(r, 1500));
    await publish(
      topics.inference,
      [windowOf(2, 42, 0.8, 0.5), traffic(43, T0 + 3 * MINUTE, 100, 0.8, 0.5)].flat(),
    );
    const [embeddingRow] = await waitFor(
      'the embedding row of window 2',
      () =>
        rows<{ drifted: number; sample_count: string }>(
          ch,
          `SELECT drifted, sample_count FROM ${db}.drift_metrics FINAL
           WHERE feature = '${EMBEDDING_PREFIX}text' AND decisive = 1`,
        ),
      (r) => r.length > 0,
      120_000,
    );
    expect([embeddingRow!.drifted, Number(embeddingRow!.sample_count)]).toEqual([1, PER_WINDOW]);
  });
});
