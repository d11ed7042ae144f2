import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { DEAD_LETTER_HEADERS } from '../../services/core/src/kafka/dead-letter.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { countOrZero, rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { consumeAll, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';
import { randomServicePort } from './utils/ports.ts';

const TOKEN = randomBytes(16).toString('hex');
const PORT = randomServicePort();
const MAX_BODY = 256 * 1024;
const env = isolatedEnv({
  DRIFTLINE_INGEST_TOKEN: TOKEN,
  DRIFTLINE_INGEST_PORT: String(PORT),
  DRIFTLINE_INGEST_MAX_BODY_BYTES: String(MAX_BODY),
});
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const ch = testClickHouse();
const kafka = testKafka();
const services: ServiceProcess[] = [];

const pairs = take(
  300,
  classifierTraffic({
    modelId: 'http-model',
    modelVersion: 'v1',
    startMs: Date.parse('2026-02-01T00:00:00Z'),
  }),
);
const batchA = pairs.slice(0, 200).map((p) => p.inference);
const batchB = pairs.slice(200).map((p) => p.inference);
const labeled = [...pairs.slice(0, 150), ...pairs.slice(200)].map((p) => p.truth);

/** What the endpoint answers: a 202's counts and per-event errors, or a refusal's error. */
interface Answer {
  accepted?: number;
  rejected?: { index: number; reason: string; error: string }[];
  error?: string;
}

async function post(path: string, body: unknown, token = TOKEN): Promise<{ status: number; json: Answer }> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const r = await fetch(`http://127.0.0.1:${PORT}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: text,
  });
  return { status: r.status, json: (await r.json()) as Answer };
}

beforeAll(async () => {
  for (const name of ['ingest', 'sink', 'label-joiner']) services.push(startServiceProcess(name, env));
  // Generous: the machine may be shared with other suites; nothing here asserts on time.
  await Promise.all(services.map((s) => waitReady(s, 240_000)));
}, 300_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.close();
});

describe('HTTP ingest end to end (ingest, sink and label joiner as processes; real Kafka and ClickHouse)', () => {
  it('shouldLandPostedBatchesOnceInInferenceLogAndJoinLabelsPostedTheSameWay', async () => {
    const invalid = [
      { ...batchA[0], model_id: undefined, prediction_id: 'no-model' },
      { ...batchA[1], prediction_id: 'bad-time', timestamp: 'soon' },
      42,
    ];
    const first = await post('/v1/inference', [...batchA.slice(0, 100), ...invalid, ...batchA.slice(100)]);
    expect(first.status).toBe(202);
    expect(first.json.accepted).toBe(200);
    expect(first.json.rejected!.map((r) => r.index)).toEqual([100, 101, 102]);
    // A client that retries a batch it thinks was lost: the copies count once.
    expect((await post('/v1/inference', batchA)).json).toEqual({ accepted: 200, rejected: [] });

    const bad = [
      await post('/v1/inference', '{"prediction_id": "x",'),
      await post('/v1/inference', 'x'.repeat(MAX_BODY + 1)),
      await post('/v1/inference', batchB, 'wrong-token'),
      await post('/v1/inference', '"just a string"'),
    ];
    expect(bad.map((b) => b.status)).toEqual([400, 413, 401, 400]);
    expect(bad[0]!.json.error).toMatch(/body is not JSON/);
    expect(bad[1]!.json.error).toMatch(/DRIFTLINE_INGEST_MAX_BODY_BYTES/);

    expect((await post('/v1/inference', batchB.slice(0, 99))).json.accepted).toBe(99);
    expect((await post('/v1/inference', batchB[99])).json).toEqual({ accepted: 1, rejected: [] });
    const labels = await post('/v1/ground-truth', labeled);
    expect(labels.json).toEqual({ accepted: 250, rejected: [] });

    const q = (sql: string) => countOrZero(ch, sql);
    await waitFor(
      '300 predictions',
      () => q(`SELECT count() FROM ${db}.inference_log FINAL`),
      (n) => n >= 300,
      240_000,
    );
    await waitFor(
      '250 joined',
      () => q(`SELECT count() FROM ${db}.labeled_predictions FINAL`),
      (n) => n >= 250,
      240_000,
    );
    const ids = await rows<{ prediction_id: string; n: string }>(
      ch,
      `SELECT prediction_id, count() AS n FROM (SELECT prediction_id FROM ${db}.inference_log FINAL) GROUP BY prediction_id`,
    );
    expect(ids.map((r) => r.prediction_id).sort()).toEqual(
      pairs.map((p) => p.inference.prediction_id).sort(),
    );
    expect(ids.every((r) => Number(r.n) === 1)).toBe(true);
    const joined = await rows<{ prediction_id: string; label: string; predicted_label: string }>(
      ch,
      `SELECT prediction_id, label, predicted_label FROM ${db}.labeled_predictions FINAL`,
    );
    const truth = new Map(labeled.map((t) => [t.prediction_id, String(t.label)]));
    expect(joined).toHaveLength(250);
    for (const j of joined) expect(j.label).toBe(truth.get(j.prediction_id));
  }, 600_000);

  it('shouldSendEachRejectedEventToTheDeadLetterTopicWithItsReason', async () => {
    const dead = await consumeAll(kafka, topics.deadLetter, 3, 60_000);
    const byKey = new Map(dead.map((d) => [d.key, d]));
    expect(byKey.get('no-model')?.headers[DEAD_LETTER_HEADERS.reason]).toMatch(
      /invalid_record|schema_mismatch/,
    );
    expect(byKey.get('bad-time')?.headers[DEAD_LETTER_HEADERS.error]).toMatch(/timestamp/);
    expect(byKey.get(null)?.value?.toString()).toBe('42');
    for (const d of dead) {
      expect(d.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(topics.inference);
      expect(d.headers['driftline.source']).toBe('http');
    }
  }, 120_000);
});
