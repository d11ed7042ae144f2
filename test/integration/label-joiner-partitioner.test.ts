import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { javaPartitionOf } from '../../services/core/src/kafka/java-partition.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, testKafka, waitForGroupCaughtUp } from './utils/kafka.ts';
import { readJoinedPairs } from './utils/read-committed.ts';
import {
  scrapeMetrics,
  startServiceProcess,
  waitReady,
  type ServiceProcess,
} from './utils/service-process.ts';

// Predictions produced with the Java partitioner (kafkajs: murmur2) and their labels produced by Python's
// confluent-kafka with librdkafka's default partitioner (consistent_random): most labels land in another
// partition than their prediction. The joiner forwards them through its repartition topic; every pair must
// join exactly once, across two instances (a forwarded record often goes to the other instance).
const T0 = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const PAIRS = 2000;
const kafka = testKafka();
const stateRoot = await mkdtemp(path.join(tmpdir(), 'joiner-partitioner-'));
const running: ServiceProcess[] = [];

const python = () =>
  execFileSync('bash', [path.resolve('infra/python-env.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;

/** Produces labels with librdkafka's default partitioner; returns the partition each one landed in. */
function produceWithLibrdkafka(env: Record<string, string>, topic: string, events: object[]) {
  const out = execFileSync(
    python(),
    [
      path.resolve('test/integration/python/produce_ground_truth.py'),
      env.DRIFTLINE_KAFKA_BROKERS!,
      env.DRIFTLINE_SCHEMA_REGISTRY_URL!,
      topic,
    ],
    { input: events.map((e) => JSON.stringify(e)).join('\n'), encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { prediction_id: string; partition: number });
}

async function metricSum(p: ServiceProcess, name: string): Promise<number> {
  const text = await scrapeMetrics(await p.port());
  const re = new RegExp(`^${name}\\{[^}]*\\} (\\S+)`, 'gm');
  return [...text.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
}

describe('label joiner with a foreign partitioner (real Kafka, registry; Python confluent-kafka)', () => {
  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL');
    await rm(stateRoot, { recursive: true, force: true });
  });

  it('shouldJoinEveryPairExactlyOnceWhenLabelsComeFromLibrdkafkasDefaultPartitioner', async () => {
    const env = isolatedEnv({
      DRIFTLINE_MAX_LABEL_DELAY_MS: String(DAY),
      DRIFTLINE_JOINER_IDLE_MS: String(DAY),
      DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS: '6000',
      DRIFTLINE_STATE_DIR: await mkdtemp(path.join(stateRoot, 'state-')),
    });
    env.DRIFTLINE_JOINER_GROUP_ID = `joiner-${env.DRIFTLINE_TOPIC_PREFIX}`;
    const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
    for (const id of ['a', 'b']) {
      running.push(startServiceProcess('label-joiner', { ...env, DRIFTLINE_JOINER_INSTANCE_ID: id }));
    }
    await Promise.all(running.map((p) => waitReady(p)));

    const pairs = take(
      PAIRS,
      classifierTraffic({ modelId: 'm', modelVersion: 'v1', startMs: T0, stepMs: 1000, idPrefix: 'q' }),
    );
    const labels = pairs.map((p) => ({ ...p.truth, model_id: null }));
    // Half the labels before their predictions, half after: both orders meet on the forwarded side.
    const placedEarly = produceWithLibrdkafka(env, topics.groundTruth, labels.slice(0, PAIRS / 2));
    const inference = await avroEncoder(topics.inference, 'InferenceEvent');
    const producer = kafka.producer();
    await producer.connect();
    const messages = await Promise.all(
      pairs.map(async (p) => ({
        key: p.inference.prediction_id,
        value: await inference.encode(p.inference),
      })),
    );
    await producer.send({ topic: topics.inference, messages });
    await producer.disconnect();
    const placedLate = produceWithLibrdkafka(env, topics.groundTruth, labels.slice(PAIRS / 2));

    const misplaced = [...placedEarly, ...placedLate].filter(
      (p) => javaPartitionOf(Buffer.from(p.prediction_id), 3) !== p.partition,
    ).length;
    expect(misplaced).toBeGreaterThan(PAIRS / 4);
    await waitForGroupCaughtUp(kafka, env.DRIFTLINE_JOINER_GROUP_ID!, [topics.inference, topics.groundTruth]);
    // The repartition topic is written in transactions: its commit markers keep its lag above 0, so wait for
    // the pairs themselves, then a little longer for any pair that would come twice.
    const readJoined = () => readJoinedPairs(topics.joined);
    await waitFor(
      'every pair joined',
      async () => readJoined().length,
      (n) => n >= PAIRS,
      180_000,
    );
    await new Promise((r) => setTimeout(r, 5000));
    const joined = readJoined();
    const ids = joined.map((j) => j.prediction_id);
    expect(ids.length).toBe(PAIRS);
    expect(new Set(ids)).toEqual(new Set(pairs.map((p) => p.inference.prediction_id)));
    const truth = new Map(pairs.map((p) => [p.truth.prediction_id, p.truth.label]));
    expect(joined.filter((j) => j.label !== truth.get(j.prediction_id))).toEqual([]);
    const rerouted = (
      await Promise.all(running.map((p) => metricSum(p, 'driftline_joiner_rerouted_total')))
    ).reduce((a, b) => a + b, 0);
    expect(rerouted).toBe(misplaced);
  }, 600_000);
});
