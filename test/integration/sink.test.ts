import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { DEAD_LETTER_HEADERS } from '../../services/core/src/kafka/dead-letter.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { countOrZero, rows, scalar, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, consumeAll, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

const env = isolatedEnv();
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const kafka = testKafka();
const ch = testClickHouse();
const inferenceCount = (extra = '') =>
  countOrZero(ch, `SELECT count() FROM ${db}.inference_log FINAL ${extra}`);
let sink: ServiceProcess;

describe('sink end to end (real Kafka, registry, ClickHouse)', () => {
  beforeAll(async () => {
    sink = startServiceProcess('sink', env);
    await waitReady(sink);
  });
  afterAll(async () => {
    await sink?.stop();
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldWriteAvroEventsFromTheConfluentSerializerExactlyOnce', async () => {
    const pairs = take(
      500,
      classifierTraffic({
        modelId: 'churn',
        modelVersion: 'v1',
        startMs: Date.parse('2026-01-01T00:00:00Z'),
        idPrefix: 'avro',
      }),
    );
    const inference = await avroEncoder(topics.inference, 'InferenceEvent');
    const truth = await avroEncoder(topics.groundTruth, 'GroundTruthEvent');
    await produce(
      kafka,
      topics.inference,
      await Promise.all(
        pairs.map(async (p) => ({
          key: p.inference.prediction_id,
          value: await inference.encode(p.inference),
        })),
      ),
    );
    await produce(
      kafka,
      topics.groundTruth,
      await Promise.all(
        pairs
          .slice(0, 200)
          .map(async (p) => ({ key: p.truth.prediction_id, value: await truth.encode(p.truth) })),
      ),
    );
    await waitFor(
      '500 inference rows',
      () => inferenceCount(`WHERE prediction_id LIKE 'avro-%'`),
      (n) => n >= 500,
    );
    await waitFor(
      '200 label rows',
      () => countOrZero(ch, `SELECT count() FROM ${db}.ground_truth FINAL`),
      (n) => n >= 200,
    );
    expect(
      await scalar(ch, `SELECT count() FROM ${db}.inference_log WHERE prediction_id LIKE 'avro-%'`),
    ).toBe(500);
    const [row] = await rows<Record<string, unknown>>(
      ch,
      `SELECT * FROM ${db}.inference_log WHERE prediction_id = 'avro-7'`,
    );
    const p7 = pairs[7]!.inference;
    expect(row).toMatchObject({
      model_id: 'churn',
      model_version: 'v1',
      event_time_ms: String(p7.timestamp),
      predicted_label: p7.prediction.label,
    });
    expect(JSON.parse(String(row!.features))).toEqual(p7.features);
    expect(row!.event_time).toBe(
      new Date(Math.floor(p7.timestamp / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' '),
    );
  });

  it('shouldWriteAJsonEventWithAnIsoTimestamp', async () => {
    const json = {
      prediction_id: 'json-1',
      model_id: 'price',
      model_version: '2',
      timestamp: '2026-02-03T04:05:06.789Z',
      features: { sqm: 71.5, city: 'Lyon' },
      prediction: { value: 312000 },
    };
    await produce(kafka, topics.inference, [{ key: 'json-1', value: Buffer.from(JSON.stringify(json)) }]);
    await waitFor(
      'the JSON row',
      () => inferenceCount(`WHERE prediction_id = 'json-1'`),
      (n) => n === 1,
    );
    const [row] = await rows(
      ch,
      `SELECT event_time_ms, predicted_value, cat_feature_values FROM ${db}.inference_log WHERE prediction_id = 'json-1'`,
    );
    expect(row).toEqual({
      event_time_ms: String(Date.parse(json.timestamp)),
      predicted_value: 312000,
      cat_feature_values: ['Lyon'],
    });
  });

  it('shouldDeadLetterBadValuesWithReasonsAndKeepWritingTheRest', async () => {
    const good = take(
      10,
      classifierTraffic({
        modelId: 'churn',
        modelVersion: 'v1',
        startMs: Date.parse('2026-01-02T00:00:00Z'),
        idPrefix: 'after-bad',
      }),
    );
    const noId = { ...good[0]!.inference, prediction_id: undefined };
    const wrongId = Buffer.from([0, 0x7f, 0xff, 0xff, 0x01, 0x02, 0x03]);
    await produce(kafka, topics.inference, [
      { key: 'garbage', value: Buffer.from('definitely not an event') },
      { key: 'wrong-schema-id', value: wrongId },
      { key: 'no-id', value: Buffer.from(JSON.stringify(noId)) },
      ...good.map((p) => ({
        key: p.inference.prediction_id,
        value: Buffer.from(JSON.stringify(p.inference)),
      })),
    ]);
    await waitFor(
      'the events after the bad ones',
      () => inferenceCount(`WHERE prediction_id LIKE 'after-bad-%'`),
      (n) => n === 10,
    );
    const dead = await consumeAll(kafka, topics.deadLetter, 3);
    const byKey = Object.fromEntries(dead.map((d) => [d.key, d]));
    expect(byKey.garbage!.headers[DEAD_LETTER_HEADERS.reason]).toBe('unknown_encoding');
    expect(byKey['wrong-schema-id']!.headers[DEAD_LETTER_HEADERS.reason]).toBe('unknown_schema_id');
    expect(byKey['no-id']!.headers[DEAD_LETTER_HEADERS.reason]).toBe('invalid_record');
    expect(byKey['no-id']!.headers[DEAD_LETTER_HEADERS.error]).toContain('missing field prediction_id');
    expect(byKey.garbage!.value!.toString()).toBe('definitely not an event');
    for (const d of dead) {
      expect(d.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(topics.inference);
      expect(Number(d.headers[DEAD_LETTER_HEADERS.sourcePartition])).toBeGreaterThanOrEqual(0);
      expect(d.headers[DEAD_LETTER_HEADERS.sourceOffset]).toMatch(/^\d+$/);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${await sink.port()}/metrics`)).text();
    expect(metrics).toMatch(
      /driftline_dead_letters_total\{topic="[^"]+",reason="unknown_encoding",service="sink"\} 1/,
    );
  });

  it('shouldWriteAvroFromPythonConfluentKafkaSerializer', async () => {
    const python = execFileSync('bash', [path.resolve('infra/python-env.sh')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync(
      python,
      [
        path.resolve('test/integration/python/produce_avro.py'),
        env.DRIFTLINE_KAFKA_BROKERS!,
        env.DRIFTLINE_SCHEMA_REGISTRY_URL!,
        topics.inference,
        '50',
        'py',
      ],
      { encoding: 'utf8' },
    );
    await waitFor(
      '50 Python rows',
      () => inferenceCount(`WHERE prediction_id LIKE 'py-%'`),
      (n) => n === 50,
    );
    const [row] = await rows(
      ch,
      `SELECT num_feature_values, cat_feature_names, tag_values FROM ${db}.inference_log FINAL WHERE prediction_id = 'py-2'`,
    );
    expect(row).toEqual({
      num_feature_values: [32],
      cat_feature_names: ['country', 'vip'],
      tag_values: ['python'],
    });
  });
});
