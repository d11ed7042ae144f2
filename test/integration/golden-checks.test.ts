import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { createCodecs } from '../../services/core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../services/core/src/serde/schema-registry.ts';
import { countOrZero, rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, consumeAll, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

const env = isolatedEnv();
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const kafka = testKafka();
const ch = testClickHouse();
const codecs = createCodecs(new SchemaRegistryClient({ url: env.DRIFTLINE_SCHEMA_REGISTRY_URL! }));
const T0 = Date.parse('2026-03-02T10:00:00Z');
let sink: ServiceProcess;

/** Event i of the canary stream: golden when i % 2 == 0, its expected label wrong when i % 6 == 0. */
function event(i: number): InferenceEvent {
  const golden = i % 2 === 0;
  return {
    prediction_id: `golden-${i}`,
    model_id: 'fraud',
    model_version: 'v7',
    timestamp: T0 + i * 1000,
    features: { amount: i },
    prediction: { label: i % 3 === 0 ? 'fraud' : 'legit', scores: null, value: null },
    golden_expected: golden ? { label: i % 6 === 0 ? 'legit' : i % 3 === 0 ? 'fraud' : 'legit' } : null,
  };
}

describe('golden-set checks over the real sink (real Kafka, registry, ClickHouse)', () => {
  beforeAll(async () => {
    sink = startServiceProcess('sink', env);
    await waitReady(sink);
  });
  afterAll(async () => {
    await sink?.stop();
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldAlertEveryGoldenMismatchOnTheTopicAndInTheAlertsTableAndStoreThePassRateWhenNoLabelEverArrives', async () => {
    // 60 events: 30 golden, of which 10 (i % 6 == 0) mismatch; one mismatch re-sent, and one sent as JSON.
    const events = Array.from({ length: 60 }, (_, i) => event(i));
    const enc = await avroEncoder(topics.inference, 'InferenceEvent');
    const avro = await Promise.all(
      events.slice(1).map(async (e) => ({ key: e.prediction_id, value: await enc.encode(e) })),
    );
    const json = { key: 'golden-0', value: Buffer.from(JSON.stringify(events[0])) };
    await produce(kafka, topics.inference, [json, ...avro, avro[5]!]);

    await waitFor(
      'every golden check stored',
      () => countOrZero(ch, `SELECT count() FROM ${db}.golden_checks FINAL`),
      (n) => n >= 30,
      240_000,
    );
    const stored = await rows<{ prediction_id: string; passed: number }>(
      ch,
      `SELECT prediction_id, passed FROM ${db}.golden_checks FINAL ORDER BY prediction_id`,
    );
    expect(stored).toHaveLength(30);
    const mismatched = events.filter((_, i) => i % 6 === 0).map((e) => e.prediction_id);
    expect(
      stored
        .filter((r) => Number(r.passed) === 0)
        .map((r) => r.prediction_id)
        .sort(),
    ).toEqual([...mismatched].sort());
    const [rate] = await rows<{ checks: string; passes: string; pass_rate: number }>(
      ch,
      `SELECT checks, passes, pass_rate FROM ${db}.golden_pass_rate WHERE model_id = 'fraud' AND model_version = 'v7'`,
    );
    expect([Number(rate!.checks), Number(rate!.passes), rate!.pass_rate]).toEqual([30, 20, 20 / 30]);

    // 10 mismatches, and the re-sent one (golden-6) published again under the same id.
    const published = await consumeAll(kafka, topics.alerts, 11, 120_000);
    const alerts = await Promise.all(published.map((m) => codecs.alert.decode(m.value)));
    expect(new Set(alerts.map((a) => a.alert_id)).size).toBe(10);
    expect(new Set(alerts.map((a) => a.evidence[0]!.subject))).toEqual(new Set(mismatched));
    for (const a of alerts) {
      expect(a).toMatchObject({
        model_id: 'fraud',
        model_version: 'v7',
        metric: 'golden_mismatch',
        severity: 'CRITICAL',
        status: 'FIRING',
        provisional: false,
      });
      expect(a.message).toMatch(/^golden-set input golden-\d+: fraud v7 predicted fraud, expected legit$/);
    }

    // The same alerts are rows of `alerts`, where users query every other alert: one per id under FINAL.
    const alertRows = await rows<{ alert_id: string; kind: string; metric: string; subject: string }>(
      ch,
      `SELECT alert_id, kind, metric, evidence_subjects[1] AS subject FROM ${db}.alerts FINAL
       WHERE model_id = 'fraud' AND model_version = 'v7' AND status = 'FIRING' AND severity = 'CRITICAL'`,
    );
    expect(new Set(alertRows.map((r) => r.alert_id))).toEqual(new Set(alerts.map((a) => a.alert_id)));
    expect(alertRows).toHaveLength(10);
    expect(new Set(alertRows.map((r) => r.subject))).toEqual(new Set(mismatched));
    expect(new Set(alertRows.map((r) => `${r.kind} ${r.metric}`))).toEqual(
      new Set(['PERFORMANCE golden_mismatch']),
    );
  });
});
