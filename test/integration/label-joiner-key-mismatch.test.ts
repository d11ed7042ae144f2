import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { Kafka, Message } from '../../services/core/src/kafka/client.ts';
import { DEAD_LETTER_HEADERS } from '../../services/core/src/kafka/dead-letter.ts';
import { javaPartitionOf } from '../../services/core/src/kafka/java-partition.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, consumeAll, testKafka, waitForGroupCaughtUp } from './utils/kafka.ts';
import { readJoinedPairs } from './utils/read-committed.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

// The contract keys inference and ground-truth records by their prediction_id, and the joiner places records by
// key. Four records keyed otherwise (another id, another id in a partition its key does not hash to, no key, an
// empty key) among 100 well-keyed pairs: each is dead-lettered once with reason key_mismatch, every well-keyed
// pair joins exactly once, and the mismatched records' counterparts wait in the store.
const T0 = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const PAIRS = 100;
const kafka = testKafka();
const stateRoot = await mkdtemp(path.join(tmpdir(), 'joiner-key-mismatch-'));
let joiner: ServiceProcess | undefined;

async function metric(p: ServiceProcess, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${await p.port()}/metrics`)).text();
  const re = new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\S+)`, 'gm');
  return [...text.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
}

interface DeadLetter {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Every record of `topic` (read_committed), read until none came for `quietMs`. */
async function readUntilQuiet(k: Kafka, topic: string, quietMs: number): Promise<DeadLetter[]> {
  const consumer = k.consumer({ groupId: `reader-${Math.random().toString(16).slice(2)}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const got: DeadLetter[] = [];
  let last = Date.now();
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers: Record<string, string> = {};
      for (const [h, v] of Object.entries(message.headers ?? {})) headers[h] = String(v);
      got.push({ key: message.key?.toString() ?? null, value: message.value, headers });
      last = Date.now();
    },
  });
  while (Date.now() - last < quietMs) await new Promise((r) => setTimeout(r, 500));
  await consumer.disconnect();
  return got;
}

describe('label joiner and records keyed otherwise than by their prediction_id (real Kafka, registry)', () => {
  afterAll(async () => {
    await joiner?.stop('SIGKILL');
    await rm(stateRoot, { recursive: true, force: true });
  });

  it('shouldDeadLetterEachMismatchedKeyOnceAndJoinEveryOtherPairExactlyOnce', async () => {
    const env = isolatedEnv({
      DRIFTLINE_MAX_LABEL_DELAY_MS: String(DAY),
      DRIFTLINE_JOINER_IDLE_MS: String(DAY),
      DRIFTLINE_STATE_DIR: await mkdtemp(path.join(stateRoot, 'state-')),
    });
    env.DRIFTLINE_JOINER_GROUP_ID = `joiner-${env.DRIFTLINE_TOPIC_PREFIX}`;
    const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
    joiner = startServiceProcess('label-joiner', env);
    await waitReady(joiner);

    const pairs = take(
      PAIRS + 4,
      classifierTraffic({ modelId: 'm', modelVersion: 'v1', startMs: T0, stepMs: 1000, idPrefix: 'k' }),
    );
    const inference = await avroEncoder(topics.inference, 'InferenceEvent');
    const truth = await avroEncoder(topics.groundTruth, 'GroundTruthEvent');
    const predictions: Message[] = [];
    const labels: Message[] = [];
    for (const p of pairs) {
      predictions.push({ key: p.inference.prediction_id, value: await inference.encode(p.inference) });
      labels.push({ key: p.truth.prediction_id, value: await truth.encode({ ...p.truth, model_id: null }) });
    }
    const [x, y, z, w] = [PAIRS, PAIRS + 1, PAIRS + 2, PAIRS + 3];
    // x's prediction under another id; y's label under another id, in a partition that id does not hash to
    // (forwarded through the repartition topic first); z's prediction without a key; w's label with an empty one.
    predictions[x]!.key = 'somebody-else';
    const yKey = 'not-my-id';
    Object.assign(labels[y]!, { key: yKey, partition: (javaPartitionOf(Buffer.from(yKey), 3) + 1) % 3 });
    Object.assign(predictions[z]!, { key: null, partition: 0 });
    labels[w]!.key = Buffer.alloc(0);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: topics.inference, messages: predictions });
    await producer.send({ topic: topics.groundTruth, messages: labels });
    await producer.disconnect();

    await waitForGroupCaughtUp(kafka, env.DRIFTLINE_JOINER_GROUP_ID!, [topics.inference, topics.groundTruth]);
    const readJoined = () => readJoinedPairs(topics.joined);
    await waitFor(
      'every well-keyed pair joined',
      async () => readJoined().length,
      (n) => n >= PAIRS,
      180_000,
    );
    await consumeAll(kafka, topics.deadLetter, 4, 180_000);

    const ids = readJoined().map((j) => j.prediction_id);
    expect(ids.sort()).toEqual(
      pairs
        .slice(0, PAIRS)
        .map((p) => p.inference.prediction_id)
        .sort(),
    );
    const dead = await readUntilQuiet(kafka, topics.deadLetter, 5_000);
    const mismatched = [predictions[x]!, labels[y]!, predictions[z]!, labels[w]!];
    expect(dead.map((d) => d.headers[DEAD_LETTER_HEADERS.reason])).toEqual(Array(4).fill('key_mismatch'));
    const byValue = (v: Buffer | string | null) => (v as Buffer).toString('hex');
    expect(dead.map((d) => byValue(d.value)).sort()).toEqual(mismatched.map((m) => byValue(m.value)).sort());
    expect(dead.map((d) => d.key).sort()).toEqual(['', 'not-my-id', 'somebody-else', null].sort());
    const sourceOf = (key: string | null) => dead.find((d) => d.key === key)!.headers;
    expect(sourceOf(null)[DEAD_LETTER_HEADERS.sourceTopic]).toBe(topics.inference);
    expect(sourceOf(null)[DEAD_LETTER_HEADERS.error]).toMatch(/^no key is not the prediction_id/);
    expect(sourceOf('somebody-else')[DEAD_LETTER_HEADERS.sourceTopic]).toBe(topics.inference);
    expect(sourceOf('')[DEAD_LETTER_HEADERS.sourceTopic]).toBe(topics.groundTruth);
    // y's label was forwarded once (its key hashes elsewhere) and rejected where it arrived, not twice.
    expect(await metric(joiner, 'driftline_joiner_rerouted_total', `topic="${topics.groundTruth}"`)).toBe(1);
    // Their counterparts, well keyed, wait for them: x's and z's labels, y's and w's predictions.
    expect(await metric(joiner, 'driftline_joiner_pending', 'kind="label"')).toBe(2);
    expect(await metric(joiner, 'driftline_joiner_pending', 'kind="prediction"')).toBe(2);
    expect(joiner.child.exitCode).toBeNull();
  }, 600_000);
});
