import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { GroundTruthEvent, InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { seededRandom } from '../../services/simulator/src/prng.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, testKafka, waitForGroupCaughtUp } from './utils/kafka.ts';
import { readCommitted, readJoinedPairs } from './utils/read-committed.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

// Each model on its own clock. Two models whose event times differ by a day, produced interleaved; and a
// week-old day of a model's history backfilled after another model's live traffic. With one clock per
// partition the late model's predictions expired as unlabeled (and its labels as orphans) the moment they
// arrived; each must now be joined as if it were alone: exact joined, unlabeled and orphan counts per model.
const T0 = Date.parse('2026-07-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEED = Number(process.env.DRIFTLINE_TEST_SEED ?? Math.floor(Math.random() * 1e9));
const kafka = testKafka();
const stateRoot = await mkdtemp(path.join(tmpdir(), 'joiner-clocks-'));
const running: ServiceProcess[] = [];

interface ModelStream {
  model: string;
  inference: InferenceEvent[];
  /** Labels in production order: a tenth before their prediction's chunk, the rest after. */
  early: GroundTruthEvent[][];
  late: GroundTruthEvent[][];
  expected: { joined: number; unlabeled: number; orphans: number };
}

/** `n` predictions of `model` from `startMs`, 80% labeled within 2 h, 30 orphan labels (half name the model). */
function modelStream(model: string, startMs: number, n: number, random: () => number): ModelStream {
  const pairs = take(
    n,
    classifierTraffic({ modelId: model, modelVersion: 'v1', startMs, stepMs: 60_000, seed: SEED }),
  );
  const chunks = 6;
  const early: GroundTruthEvent[][] = Array.from({ length: chunks }, () => []);
  const late: GroundTruthEvent[][] = Array.from({ length: chunks }, () => []);
  let joined = 0;
  pairs.forEach(({ inference, truth }, i) => {
    if (random() < 0.2) return;
    joined += 1;
    // A label sent before its prediction names its model (the README's advice for backfills); of the
    // others, half do not.
    const before = random() < 0.1;
    const label = {
      ...truth,
      timestamp: inference.timestamp + Math.floor(random() * 2 * HOUR),
      model_id: before || random() < 0.5 ? model : null,
    };
    (before ? early : late)[Math.floor((i * chunks) / n)]!.push(label);
  });
  const orphans = Array.from({ length: 30 }, (_, i) => ({
    prediction_id: `${model}-orphan-${i}`,
    timestamp: startMs + Math.floor(random() * n * 60_000),
    label: 'a',
    model_id: i % 2 === 0 ? model : null,
  }));
  late[chunks - 1]!.push(...orphans);
  return {
    model,
    inference: pairs.map((p) => p.inference),
    early,
    late,
    expected: { joined, unlabeled: n - joined, orphans: 30 },
  };
}

/** A far-future prediction and label of a model in every partition: moves that model's clock past every deadline. */
function ticks(model: string, atMs: number, partitions: number) {
  const ids = Array.from({ length: partitions }, (_, p) => `tick-${model}-${p}`);
  const inference = ids.map((prediction_id) => ({
    ...take(1, classifierTraffic({ modelId: model, modelVersion: 'v1', startMs: atMs }))[0]!.inference,
    prediction_id,
  }));
  const labels = ids.map((prediction_id) => ({
    prediction_id,
    timestamp: atMs,
    label: 'a',
    model_id: model,
  }));
  return { inference, labels };
}

async function run(name: string, phases: ModelStream[][]): Promise<void> {
  const env = isolatedEnv({
    DRIFTLINE_MAX_LABEL_DELAY_MS: String(DAY),
    DRIFTLINE_JOINER_IDLE_MS: String(DAY),
    DRIFTLINE_STATE_DIR: await mkdtemp(path.join(stateRoot, `${name}-`)),
  });
  env.DRIFTLINE_JOINER_GROUP_ID = `joiner-${env.DRIFTLINE_TOPIC_PREFIX}`;
  const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
  const joiner = startServiceProcess('label-joiner', env);
  running.push(joiner);
  await waitReady(joiner);
  const encoders = {
    inference: await avroEncoder(topics.inference, 'InferenceEvent'),
    truth: await avroEncoder(topics.groundTruth, 'GroundTruthEvent'),
  };
  const producer = kafka.producer();
  await producer.connect();
  const send = async (
    topic: 'inference' | 'truth',
    events: (InferenceEvent | GroundTruthEvent)[],
    partitioned = false,
  ) => {
    const messages = await Promise.all(
      events.map(async (e, i) => ({
        key: e.prediction_id,
        value: await encoders[topic].encode(e),
        partition: partitioned ? i : undefined,
      })),
    );
    await producer.send({ topic: topic === 'inference' ? topics.inference : topics.groundTruth, messages });
  };
  // Within a phase the models' chunks are interleaved; phases follow each other (live traffic, then a backfill).
  for (const streams of phases) {
    for (let c = 0; c < 6; c++) {
      for (const s of streams) {
        const from = (c * s.inference.length) / 6;
        await send('truth', s.early[c]!);
        await send('inference', s.inference.slice(from, from + s.inference.length / 6));
        await send('truth', s.late[c]!);
      }
    }
  }
  const all = phases.flat();
  // The end of the test: every model's clock moves past every deadline (a label that names no model waits
  // for the slowest clock of its partition).
  const end = Math.max(...all.flatMap((s) => s.inference.map((e) => e.timestamp))) + 3 * DAY;
  for (const s of all) {
    const t = ticks(s.model, end, 3);
    await send('inference', t.inference, true);
    await send('truth', t.labels, true);
  }
  await producer.disconnect();
  await waitForGroupCaughtUp(kafka, env.DRIFTLINE_JOINER_GROUP_ID!, [topics.inference, topics.groundTruth]);

  const expirationsTopic = `${env.DRIFTLINE_TOPIC_PREFIX}internal.join-expirations.v1`;
  const total = all.reduce((n, s) => n + s.expected.joined + s.expected.unlabeled + s.expected.orphans, 0);
  const counts = () => {
    const joined = readJoinedPairs(topics.joined);
    const expired = readCommitted(expirationsTopic).map(
      (v) => JSON.parse(v.toString('utf8')) as { prediction_id: string; model_id: string; kind: string },
    );
    const real = (id: string) => !id.startsWith('tick-');
    const byModel = Object.fromEntries(
      all.map((s) => {
        const mine = (id: string) => id.startsWith(`${s.model}-`);
        return [
          s.model,
          {
            joined: joined.filter((j) => real(j.prediction_id) && j.model_id === s.model).length,
            unlabeled: expired.filter((e) => e.kind === 'unlabeled' && mine(e.prediction_id)).length,
            orphans: expired.filter((e) => e.kind === 'orphan' && mine(e.prediction_id)).length,
          },
        ];
      }),
    );
    const ids = [
      ...joined.map((j) => `j:${j.prediction_id}`),
      ...expired.map((e) => `${e.kind}:${e.prediction_id}`),
    ];
    return {
      byModel,
      seen: ids.filter((id) => !id.includes('tick-')).length,
      unique: new Set(ids).size === ids.length,
    };
  };
  await waitFor(
    'every pair and expiry',
    async () => counts(),
    (c) => c.seen >= total,
    120_000,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; expected ${JSON.stringify(all.map((s) => [s.model, s.expected]))}`);
  });
  await new Promise((r) => setTimeout(r, 3000));
  const final = counts();
  expect(final.byModel).toEqual(Object.fromEntries(all.map((s) => [s.model, s.expected])));
  expect(final.unique).toBe(true);
}

describe(`label joiner: each model on its own clock (real Kafka, registry; seed ${SEED})`, () => {
  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL');
    await rm(stateRoot, { recursive: true, force: true });
  });

  it('shouldJoinTwoModelsWhoseClocksDifferByADayAsIfEachWereAlone', async () => {
    const random = seededRandom(SEED);
    await run('skew', [
      [modelStream('ahead', T0 + DAY, 600, random), modelStream('behind', T0, 600, random)],
    ]);
  }, 600_000);

  it('shouldJoinAWeekOldBackfillAfterLiveTrafficAsIfItWereAlone', async () => {
    const random = seededRandom(SEED + 1);
    await run('backfill', [
      [modelStream('live', T0 + 7 * DAY, 600, random)],
      [modelStream('history', T0, 600, random)],
    ]);
  }, 600_000);
});
