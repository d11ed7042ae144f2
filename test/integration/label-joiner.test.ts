import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { CrashPointName } from '../../services/core/src/crash-point.ts';
import type { GroundTruthEvent, InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { seededRandom } from '../../services/simulator/src/prng.ts';
import { countOrZero, rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, testKafka } from './utils/kafka.ts';
import {
  scrapeMetrics,
  startServiceProcess,
  waitReady,
  type ServiceProcess,
} from './utils/service-process.ts';
import { readCommitted, readJoinedPairs } from './utils/read-committed.ts';

// The stream: 10,000 predictions, labels delayed at random in event time, 10% of labels sent before
// their prediction, 5% sent twice (the second with another label: it must be ignored), 10% never sent, plus
// 200 labels for predictions that never exist. The same stream runs plain, with three SIGKILLs, and across a
// rebalance; each run must give exactly the expected pairs and expiration counts.
const T0 = Date.parse('2026-04-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEED = Number(process.env.DRIFTLINE_TEST_SEED ?? Math.floor(Math.random() * 1e9));
const kafka = testKafka();
const ch = testClickHouse();
const stateRoot = await mkdtemp(path.join(tmpdir(), 'label-joiner-'));
const cleanups: (() => Promise<unknown>)[] = [];

interface Expected {
  joined: Map<string, string>;
  unlabeled: Set<string>;
  orphans: Set<string>;
}

interface Stream {
  expected: Expected;
  /** Production steps in order; a test may act (kill, stop) between steps. */
  steps: {
    topic: 'inference' | 'truth';
    events: (InferenceEvent | GroundTruthEvent)[];
    partitioned?: boolean;
  }[];
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function buildStream(seed: number, partitions: number): Stream {
  const random = seededRandom(seed);
  const pairs = take(
    10_000,
    classifierTraffic({ modelId: 'm', modelVersion: 'v1', startMs: T0, stepMs: 100, idPrefix: 'p', seed }),
  );
  const expected: Expected = { joined: new Map(), unlabeled: new Set(), orphans: new Set() };
  const early: GroundTruthEvent[] = [];
  const later: GroundTruthEvent[][] = Array.from({ length: 10 }, () => []);
  const duplicates: GroundTruthEvent[] = [];
  pairs.forEach(({ inference, truth }, i) => {
    if (random() < 0.1) return void expected.unlabeled.add(inference.prediction_id);
    const label = { ...truth, timestamp: inference.timestamp + Math.floor(random() * 6 * HOUR) };
    expected.joined.set(label.prediction_id, String(label.label));
    if (random() < 0.1) early.push(label);
    else later[Math.floor(i / 1000)]!.push(label);
    if (random() < 0.05) duplicates.push({ ...label, label: 'duplicate', timestamp: label.timestamp + 1000 });
  });
  const orphans = Array.from({ length: 200 }, (_, i) => ({
    prediction_id: `orphan-${i}`,
    timestamp: T0 + Math.floor(random() * 1000_000),
    label: 'a',
    model_id: null,
  }));
  for (const o of orphans) expected.orphans.add(o.prediction_id);
  const steps: Stream['steps'] = [{ topic: 'truth', events: shuffle(early, random) }];
  for (let c = 0; c < 10; c++) {
    steps.push({ topic: 'inference', events: pairs.slice(c * 1000, (c + 1) * 1000).map((p) => p.inference) });
    steps.push({ topic: 'truth', events: shuffle(later[c]!, random) });
  }
  steps.push({ topic: 'truth', events: shuffle([...orphans, ...duplicates], random) });
  // A far-future event on both topics of every partition moves every watermark past every deadline.
  const ticks = Array.from({ length: partitions }, (_, p) => `tick-${p}`);
  steps.push({
    topic: 'inference',
    partitioned: true,
    events: ticks.map((id) => ({
      ...pairs[0]!.inference,
      prediction_id: id,
      model_id: 'tick',
      timestamp: T0 + 30 * DAY,
    })),
  });
  steps.push({
    topic: 'truth',
    partitioned: true,
    events: ticks.map((id) => ({
      prediction_id: id,
      timestamp: T0 + 30 * DAY,
      label: 'a',
      model_id: 'tick',
    })),
  });
  return { expected, steps };
}

/** Produces the stream step by step, awaiting `after(step)` between steps. */
async function produceStream(
  env: Record<string, string>,
  stream: Stream,
  after: (step: number) => Promise<void> = async () => {},
) {
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
  const encoders = {
    inference: await avroEncoder(topics.inference, 'InferenceEvent'),
    truth: await avroEncoder(topics.groundTruth, 'GroundTruthEvent'),
  };
  const producer = kafka.producer();
  await producer.connect();
  for (const [i, step] of stream.steps.entries()) {
    const messages: Message[] = await Promise.all(
      step.events.map(async (e, n) => ({
        key: e.prediction_id,
        value: await encoders[step.topic].encode(e),
        partition: step.partitioned ? n : undefined,
      })),
    );
    await producer.send({
      topic: step.topic === 'inference' ? topics.inference : topics.groundTruth,
      messages,
    });
    await after(i);
  }
  await producer.disconnect();
}

// Read with librdkafka, an independent read_committed implementation (utils/read-committed.ts).
const readTopic = readCommitted;

async function verify(env: Record<string, string>, expected: Expected): Promise<void> {
  const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
  const count = (sql: string) => countOrZero(ch, sql);
  const want = `${expected.joined.size}/${expected.unlabeled.size}/${expected.orphans.size}`;
  await waitFor(
    `pairs/unlabeled/orphans = ${want}`,
    async () =>
      [
        await count(`SELECT count() FROM ${db}.labeled_predictions FINAL WHERE model_id = 'm'`),
        await count(`SELECT count() FROM ${db}.join_expirations FINAL WHERE kind = 'unlabeled'`),
        await count(`SELECT count() FROM ${db}.join_expirations FINAL WHERE kind = 'orphan'`),
      ].join('/'),
    (got) => got === want,
    300_000,
  );

  const pairs = await rows<{
    prediction_id: string;
    label: string;
    label_delay_ms: string;
    predicted_at_ms: string;
    labeled_at_ms: string;
  }>(
    ch,
    `SELECT prediction_id, label, label_delay_ms, predicted_at_ms, labeled_at_ms FROM ${db}.labeled_predictions FINAL WHERE model_id = 'm'`,
  );
  expect(new Map(pairs.map((r) => [r.prediction_id, r.label]))).toEqual(expected.joined);
  for (const r of pairs)
    expect(Number(r.label_delay_ms)).toBe(Number(r.labeled_at_ms) - Number(r.predicted_at_ms));
  const expired = await rows<{ prediction_id: string; kind: string }>(
    ch,
    `SELECT prediction_id, kind FROM ${db}.join_expirations FINAL`,
  );
  expect(new Set(expired.filter((e) => e.kind === 'unlabeled').map((e) => e.prediction_id))).toEqual(
    expected.unlabeled,
  );
  expect(new Set(expired.filter((e) => e.kind === 'orphan').map((e) => e.prediction_id))).toEqual(
    expected.orphans,
  );

  // FINAL would hide a repeated row: count on the topics themselves that every pair and expiry exists once.
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
  const joined = readJoinedPairs(topics.joined);
  const ids = joined.filter((j) => j.model_id === 'm').map((j) => j.prediction_id);
  expect(ids.length).toBe(expected.joined.size);
  expect(new Set(ids).size).toBe(expected.joined.size);
  const expirations = readTopic(`${env.DRIFTLINE_TOPIC_PREFIX!}internal.join-expirations.v1`);
  expect(expirations.length).toBe(expected.unlabeled.size + expected.orphans.size);
  expect(new Set(expirations.map((v) => v.toString())).size).toBe(expirations.length);
}

/** A fresh topic prefix, database, consumer groups and state folder per scenario. */
async function scenarioEnv(name: string): Promise<Record<string, string>> {
  const env = isolatedEnv({
    DRIFTLINE_MAX_LABEL_DELAY_MS: String(DAY),
    // Only the ticks may move a watermark past a deadline, whichever topic the joiner reads first.
    DRIFTLINE_JOINER_IDLE_MS: String(DAY),
    DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS: '6000',
    DRIFTLINE_STATE_DIR: await mkdtemp(path.join(stateRoot, `${name}-`)),
  });
  env.DRIFTLINE_JOINER_GROUP_ID = `joiner-${env.DRIFTLINE_TOPIC_PREFIX}`;
  env.DRIFTLINE_SINK_GROUP_ID = `sink-${env.DRIFTLINE_TOPIC_PREFIX}`;
  cleanups.push(() => ch.command({ query: `DROP DATABASE IF EXISTS ${env.DRIFTLINE_CLICKHOUSE_DATABASE}` }));
  return env;
}

function start(
  service: string,
  env: Record<string, string>,
  extra: Record<string, string> = {},
): ServiceProcess {
  const p = startServiceProcess(service, { ...env, ...extra });
  cleanups.push(() => p.stop('SIGKILL'));
  return p;
}

async function metricSum(p: ServiceProcess, name: string, filter = ''): Promise<number> {
  const text = await scrapeMetrics(await p.port());
  const re = new RegExp(`^${name}\\{([^}]*)\\} (\\S+)`, 'gm');
  return [...text.matchAll(re)].filter((m) => m[1]!.includes(filter)).reduce((s, m) => s + Number(m[2]), 0);
}

async function killedBy(p: ServiceProcess, timeoutMs = 120_000): Promise<void> {
  const timer = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`not killed; logs:\n${p.logs().slice(-3000)}`)), timeoutMs),
  );
  await Promise.race([p.exited, timer]);
  expect(p.child.signalCode).toBe('SIGKILL');
}

describe(`label-joiner end to end (real Kafka, registry, ClickHouse; seed ${SEED})`, () => {
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await ch.close();
    await rm(stateRoot, { recursive: true, force: true });
  });

  it('shouldJoinExactlyTheExpectedPairsAndCountExpirationsExactly', { timeout: 600_000 }, async () => {
    const env = await scenarioEnv('plain');
    const stream = buildStream(SEED, 3);
    const sink = start('sink', env);
    const joiner = start('label-joiner', env);
    await Promise.all([waitReady(sink), waitReady(joiner)]);
    await produceStream(env, stream);
    await verify(env, stream.expected);
    expect(await metricSum(joiner, 'driftline_joiner_joined_total', 'model_id="m"')).toBe(
      stream.expected.joined.size,
    );
    expect(await metricSum(joiner, 'driftline_joiner_expired_total', 'kind="unlabeled"')).toBe(
      stream.expected.unlabeled.size,
    );
    expect(await metricSum(joiner, 'driftline_joiner_expired_total', 'kind="orphan"')).toBe(
      stream.expected.orphans.size,
    );
    expect(await metricSum(joiner, 'driftline_joiner_pending', 'kind="prediction"')).toBe(0);
    await joiner.stop();
    expect(joiner.child.exitCode).toBe(0);
  });

  it('shouldGiveTheSameExactResultWhenTheJoinerIsKilledThreeTimes', { timeout: 900_000 }, async () => {
    const env = await scenarioEnv('killed');
    // Smaller expiry transactions: the ticks' expiry spans several, and a kill may land between them.
    env.DRIFTLINE_JOINER_EXPIRY_BATCH = '3000';
    const stream = buildStream(SEED, 3);
    const random = seededRandom(SEED + 1);
    const sink = start('sink', env);
    await waitReady(sink);
    const lives: string[] = [];
    const crashLife = (point: CrashPointName, after: number) => {
      lives.push(`${point} after ${after}`);
      return start('label-joiner', env, { DRIFTLINE_CRASH_AT: point, DRIFTLINE_CRASH_AFTER: String(after) });
    };
    // Life 1 dies inside a transaction (records sent, not committed) while the stream is still arriving.
    const first = crashLife('after-produce-before-commit', 2 + Math.floor(random() * 7));
    await waitReady(first);
    await produceStream(env, stream, async (step) => {
      if (step % 4 === 3) await new Promise((r) => setTimeout(r, 300));
    });
    await killedBy(first);
    // Life 2 dies after a commit, before the local store was written: the store must come back from the changelog.
    const second = crashLife('after-effect-before-commit', Math.floor(random() * 2));
    await killedBy(second);
    // Life 3 is killed from outside at a random moment of its work.
    const third = start('label-joiner', env);
    await waitReady(third);
    const delay = Math.floor(random() * 3000);
    lives.push(`SIGKILL ${delay} ms after ready`);
    await new Promise((r) => setTimeout(r, delay));
    third.child.kill('SIGKILL');
    await killedBy(third);
    const last = start('label-joiner', env);
    await waitReady(last);
    await verify(env, stream.expected);
    expect(lives).toHaveLength(3);
    // No clean shutdown happened, so every life rebuilt its stores from the changelog.
    expect(await metricSum(last, 'driftline_joiner_restored_records_total')).toBeGreaterThan(0);
    await last.stop();
  });

  it('shouldRefuseToStartWhenTheInputsAreNotCoPartitioned', { timeout: 120_000 }, async () => {
    const env = await scenarioEnv('mismatch');
    const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: topics.inference, numPartitions: 3 },
        { topic: topics.groundTruth, numPartitions: 2 },
      ],
    });
    await admin.disconnect();
    const joiner = start('label-joiner', env);
    expect(await joiner.exited).toBe(1);
    expect(joiner.logs()).toMatch(/topics must be co-partitioned: .*ground-truth\.v1 has 2/);
  });

  // SIGTERM: b finishes its batch, leaves the group and checkpoints. SIGKILL: b vanishes mid-transaction; a gets
  // its partitions once b's session expires, and fencing aborts b's open transactions.
  it.each([
    ['Stops', 'SIGTERM'],
    ['IsKilled', 'SIGKILL'],
  ] as const)(
    'shouldGiveTheSameExactResultWhenOneOfTwoInstances%sHalfWay (%s)',
    async (_how, signal) => {
      const env = await scenarioEnv(`rebalance-${signal}`);
      const stream = buildStream(SEED, 3);
      const sink = start('sink', env);
      const a = start('label-joiner', env, { DRIFTLINE_JOINER_INSTANCE_ID: 'a' });
      const b = start('label-joiner', env, { DRIFTLINE_JOINER_INSTANCE_ID: 'b' });
      await Promise.all([waitReady(sink), waitReady(a), waitReady(b)]);
      let stoppedAt = -1;
      await produceStream(env, stream, async (step) => {
        if (step !== 10) return;
        // Half the predictions are out: both instances must have joined some, then b goes.
        await waitFor(
          'both instances joining',
          async () =>
            Math.min(
              await metricSum(a, 'driftline_joiner_joined_total'),
              await metricSum(b, 'driftline_joiner_joined_total'),
            ),
          (n) => n > 0,
          60_000,
        );
        stoppedAt = step;
        await b.stop(signal);
      });
      expect(stoppedAt).toBe(10);
      if (signal === 'SIGTERM') expect(b.child.exitCode).toBe(0);
      else expect(b.child.signalCode).toBe('SIGKILL');
      await verify(env, stream.expected);
      // a took over b's partitions by replaying their changelogs.
      expect(await metricSum(a, 'driftline_joiner_restored_records_total')).toBeGreaterThan(0);
      await a.stop();
    },
    600_000,
  );
});
