import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { DEAD_LETTER_HEADERS } from '../../services/core/src/kafka/dead-letter.ts';
import type { Message } from '../../services/core/src/kafka/client.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { seededRandom } from '../../services/simulator/src/prng.ts';
import { countOrZero, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { encodeInference, encodeTruth, hostileValues, type HostileValue } from './utils/hostile-values.ts';
import { avroEncoder, consumeAll, testKafka } from './utils/kafka.ts';
import { RssSampler } from './utils/rss-sampler.ts';
import {
  scrapeMetrics,
  startServiceProcess,
  waitReady,
  type ServiceProcess,
} from './utils/service-process.ts';

// Issue 14, hostile input: 10,000 values crafted to hurt (plus 30 heavy ones: 1 MB strings, 100,000-entry
// maps) mixed with 2,000 valid predictions of two models and 1,600 labels, through the sink, label joiner,
// drift monitor and performance monitor as processes. Every bad value must be dead-lettered by every reader of
// its topic with the expected reason, every valid event counted once, no service may exit, and each service's
// peak RSS is reported.
const SEED = Number(process.env.DRIFTLINE_TEST_SEED ?? 14);
const BAD = Number(process.env.DRIFTLINE_HOSTILE_COUNT ?? 10_000);
const VALID = 2_000;
const LABELED = 1_600;
/** Who dead-letters the bad values of each user topic (the drift monitor counts and skips them). */
const READERS = { inference: ['sink', 'label-joiner'], truth: ['sink', 'label-joiner'] };
/** Generous: a service holding one of each heavy value at once stays far below it. */
const RSS_BOUND_MIB = 1_536;

const env = isolatedEnv({
  DRIFTLINE_STATE_DIR: mkdtempSync(path.join(tmpdir(), 'hostile-')),
  DRIFTLINE_DRIFT_WINDOW: '1m',
  DRIFTLINE_DRIFT_GRACE: '5s',
  DRIFTLINE_PERF_WINDOWS: '5m',
  // Two shared cores run many processes here: a service starved of CPU must not lose its group membership.
  DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS: '60000',
});
const prefix = env.DRIFTLINE_TOPIC_PREFIX!;
Object.assign(env, {
  DRIFTLINE_SINK_GROUP_ID: `${prefix}sink`,
  DRIFTLINE_JOINER_GROUP_ID: `${prefix}joiner`,
  DRIFTLINE_DRIFT_GROUP_ID: `${prefix}drift`,
  DRIFTLINE_DRIFT_CONCEPT_GROUP_ID: `${prefix}concept`,
  DRIFTLINE_PERF_GROUP_ID: `${prefix}perf`,
});
const topics = topicNames({ topicPrefix: prefix });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const kafka = testKafka();
const ch = testClickHouse();
const services: Record<string, ServiceProcess> = {};
let stopping = false;
const rss = new RssSampler(() =>
  Object.fromEntries(Object.entries(services).map(([name, p]) => [name, p.child.pid])),
);

/** Keys of the valid predictions keyed otherwise than by their prediction_id, one entry per prediction. */
const keyMismatches: string[] = [];

interface Outgoing {
  topic: string;
  message: Message;
}

function validStream(ids: { inference: number; truth: number }): Outgoing[] {
  const random = seededRandom(SEED + 1);
  const out: Outgoing[] = [];
  for (const [model, shift] of [
    ['fz-a', 0],
    ['fz-b', 1.5],
  ] as const) {
    const pairs = take(
      VALID / 2,
      classifierTraffic({
        modelId: model,
        modelVersion: 'v1',
        startMs: Date.parse('2026-03-01T00:00:00Z'),
        stepMs: 200,
        idPrefix: model,
        seed: SEED,
        shift,
      }),
    );
    pairs.forEach(({ inference, truth }, i) => {
      // The key places a record for the join, so only predictions that get no label carry an empty or 10 KB
      // key: the sink and drift monitor count them like any other, the joiner dead-letters them (key_mismatch).
      const oddKey = i >= LABELED / 2 && (i % 97 === 0 || i % 89 === 0);
      const key = !oddKey
        ? inference.prediction_id
        : i % 2 === 0
          ? Buffer.alloc(0)
          : Buffer.alloc(10_240, 'k');
      const json = random() < 0.1;
      const value = json ? Buffer.from(JSON.stringify(inference)) : encodeInference(ids.inference, inference);
      out.push({ topic: topics.inference, message: { key, value } });
      if (oddKey) keyMismatches.push(key.toString());
      if (i < LABELED / 2) {
        const label = json ? Buffer.from(JSON.stringify(truth)) : encodeTruth(ids.truth, truth);
        out.push({ topic: topics.groundTruth, message: { key: truth.prediction_id, value: label } });
      }
    });
  }
  return out;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Sends in order in batches under 500 KB, values over 100 KB one per request: Kafka limits a record batch. */
async function send(stream: Outgoing[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  let batch: Outgoing[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await producer.sendBatch({
      topicMessages: [topics.inference, topics.groundTruth]
        .map((topic) => ({
          topic,
          messages: batch.filter((o) => o.topic === topic).map((o) => o.message),
        }))
        .filter((t) => t.messages.length > 0),
    });
    batch = [];
    bytes = 0;
  };
  for (const o of stream) {
    const size =
      (o.message.value as Buffer).length + ((o.message.key as Buffer | string | null)?.length ?? 0);
    if (size > 100_000) {
      await flush();
      await producer.send({ topic: o.topic, messages: [o.message] });
      continue;
    }
    if (bytes + size > 500_000 || batch.length >= 500) await flush();
    batch.push(o);
    bytes += size;
  }
  await flush();
  await producer.disconnect();
}

async function deadLetterTotals(p: ServiceProcess): Promise<Record<string, number>> {
  const text = await scrapeMetrics(await p.port());
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/driftline_dead_letters_total\{[^}]*reason="([^"]+)"[^}]*\} (\d+)/g)) {
    out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  }
  return out;
}

describe('hostile input (real Kafka, registry, ClickHouse; services as processes)', () => {
  beforeAll(async () => {
    for (const name of ['sink', 'label-joiner', 'drift-monitor', 'performance-monitor']) {
      services[name] = startServiceProcess(name, env);
      // An exit is a failure whatever comes after: say so at once, with its last words.
      void services[name].exited.then((code) => {
        if (!stopping) console.error(`${name} exited (${code}):\n${services[name]!.logs().slice(-4000)}`);
      });
    }
    for (const p of Object.values(services)) await waitReady(p, 180_000);
  }, 240_000);
  afterAll(async () => {
    stopping = true;
    rss.stop();
    for (const p of Object.values(services)) await p.stop('SIGKILL');
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldDeadLetterEveryBadValueWithItsReasonAndCountEveryValidEventOnce', async () => {
    const ids = {
      inference: (await avroEncoder(topics.inference, 'InferenceEvent')).id,
      truth: (await avroEncoder(topics.groundTruth, 'GroundTruthEvent')).id,
    };
    const bad = hostileValues(BAD, ids, SEED);
    const badStream = bad.map((v) => ({
      topic: v.topic === 'inference' ? topics.inference : topics.groundTruth,
      message: { key: v.key, value: v.value },
    }));
    await send(shuffle([...validStream(ids), ...badStream], seededRandom(SEED + 2)));

    const count = (table: string) => () => countOrZero(ch, `SELECT count() FROM ${db}.${table} FINAL`);
    const timeout = 900_000;
    await waitFor('valid inference rows', count('inference_log'), (n) => n >= VALID, timeout);
    await waitFor('valid labels', count('ground_truth'), (n) => n >= LABELED, timeout);
    await waitFor('joined pairs', count('labeled_predictions'), (n) => n >= LABELED, timeout);

    const expectedDead = bad.reduce((s, v) => s + READERS[v.topic].length, keyMismatches.length);
    const dead = await consumeAll(kafka, topics.deadLetter, expectedDead, timeout);
    checkDeadLetters(bad, dead);

    expect(await count('inference_log')()).toBe(VALID);
    expect(await count('ground_truth')()).toBe(LABELED);
    expect(await count('labeled_predictions')()).toBe(LABELED);
    expect(await countOrZero(ch, `SELECT uniqExact(model_id) FROM ${db}.inference_log`)).toBe(2);

    const perService = Object.fromEntries(
      await Promise.all(Object.entries(services).map(async ([n, p]) => [n, await deadLetterTotals(p)])),
    );
    // The two readers that dead-letter count each dead letter they wrote, by its reason.
    const counted = (name: string) =>
      Object.values(perService[name] as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(counted('sink') + counted('label-joiner')).toBe(dead.length);
    for (const [name, p] of Object.entries(services)) {
      expect(p.child.exitCode, `${name} exited:\n${p.logs().slice(-3000)}`).toBeNull();
      expect(p.child.signalCode).toBeNull();
    }
    const peaks = rss.peaksMiB();
    console.log(
      JSON.stringify(
        {
          badSent: bad.length,
          validInference: VALID,
          validLabels: LABELED,
          deadLetters: dead.length,
          byReason: tally(dead),
          perService,
          peakRssMiB: peaks,
        },
        null,
        1,
      ),
    );
    for (const [name, mib] of Object.entries(peaks)) expect(mib, name).toBeLessThan(RSS_BOUND_MIB);
  }, 1_200_000);
});

function tally(dead: { headers: Record<string, string> }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of dead)
    out[d.headers[DEAD_LETTER_HEADERS.reason]!] = (out[d.headers[DEAD_LETTER_HEADERS.reason]!] ?? 0) + 1;
  return out;
}

/** Each bad value dead-lettered once per reader of its topic, with its reason; nothing else dead-lettered. */
function checkDeadLetters(
  bad: HostileValue[],
  dead: { key: string | null; headers: Record<string, string> }[],
): void {
  const byKey = new Map<string, string[]>();
  for (const d of dead)
    byKey.set(d.key ?? '', [...(byKey.get(d.key ?? '') ?? []), d.headers[DEAD_LETTER_HEADERS.reason]!]);
  const wrong: string[] = [];
  for (const v of bad) {
    const reasons = byKey.get(v.key.toString()) ?? [];
    const expected = READERS[v.topic].length;
    const reasonOk = v.reason === 'any' || reasons.every((r) => r === v.reason);
    if (reasons.length !== expected || !reasonOk)
      wrong.push(`${v.key.toString().slice(0, 40)}: ${reasons.join(',') || 'none'}`);
    byKey.delete(v.key.toString());
  }
  expect(wrong.slice(0, 20)).toEqual([]);
  for (const key of new Set(keyMismatches)) {
    const n = keyMismatches.filter((k) => k === key).length;
    expect(byKey.get(key), `key ${key.slice(0, 40)}`).toEqual(Array<string>(n).fill('key_mismatch'));
    byKey.delete(key);
  }
  expect([...byKey.keys()].map((k) => k.slice(0, 40))).toEqual([]);
}
