// Shadow agreement alertable, end to end over the real servers: production v1 and shadow v2 score the same
// requests (request_id), the sink stores them, the shadow_agreement view counts the agreement per hour, and
// the alerter fires SHADOW_AGREEMENT once the agreement stays below the objective, on the alerts topic and in
// the alerts table. No label is ever sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { Alert, InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { createCodecs } from '../../services/core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../services/core/src/serde/schema-registry.ts';
import { countOrZero, rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, consumeAll, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

const env = isolatedEnv({ DRIFTLINE_ALERTER_POLL_MS: '300' });
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const kafka = testKafka();
const ch = testClickHouse();
const codecs = createCodecs(new SchemaRegistryClient({ url: env.DRIFTLINE_SCHEMA_REGISTRY_URL! }));
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-03T00:00:00Z');
/** Requests per hour, each scored by both versions. */
const PER_HOUR = 200;
let sink: ServiceProcess;
let alerter: ServiceProcess;

function scored(version: string, hour: number, i: number, label: string): InferenceEvent {
  return {
    prediction_id: `${version}-${hour}-${i}`,
    model_id: 'ranker',
    model_version: version,
    timestamp: T0 + hour * HOUR + i * 10_000,
    features: { x: i },
    prediction: { label, scores: null, value: null },
    request_id: `req-${hour}-${i}`,
  };
}

/**
 * Hour 0: the versions agree on every request; hours 1 and 2: the shadow disagrees on every other one (0.5);
 * hour 3: they agree again, and its requests, up to 33 minutes past hour 2's end, close hour 2 (hour 3 stays open).
 */
function traffic(): InferenceEvent[] {
  const out: InferenceEvent[] = [];
  for (const hour of [0, 1, 2, 3]) {
    for (let i = 0; i < PER_HOUR; i++) {
      const shadowWrong = (hour === 1 || hour === 2) && i % 2 === 1;
      out.push(scored('v1', hour, i, 'a'), scored('v2', hour, i, shadowWrong ? 'b' : 'a'));
    }
  }
  return out;
}

describe('shadow agreement alerts over the real sink and alerter (real Kafka, registry, ClickHouse)', () => {
  beforeAll(async () => {
    sink = startServiceProcess('sink', env); // migrates first: the alerter then finds every table
    await waitReady(sink);
    alerter = startServiceProcess('alerter', env);
    await waitReady(alerter);
  });
  afterAll(async () => {
    await alerter?.stop();
    await sink?.stop();
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldFireShadowAgreementOnTheTopicAndInTheTableWhenTheShadowDisagreesForTwoHours', async () => {
    const events = traffic();
    const enc = await avroEncoder(topics.inference, 'InferenceEvent');
    await produce(
      kafka,
      topics.inference,
      await Promise.all(events.map(async (e) => ({ key: e.prediction_id, value: await enc.encode(e) }))),
    );
    await waitFor(
      'every request prediction stored',
      () => countOrZero(ch, `SELECT count() FROM ${db}.request_predictions FINAL`),
      (n) => n >= events.length,
      240_000,
    );

    const published = await consumeAll(kafka, topics.alerts, 1, 120_000);
    const alerts: Alert[] = await Promise.all(published.map((m) => codecs.alert.decode(m.value)));
    // Hour 1 breaches (pending: for_windows 2), hour 2 fires; hour 3 is still open (nothing after it).
    expect(
      alerts.map((a) => [a.kind, a.status, a.severity, a.model_version, a.metric, a.window_start]),
    ).toEqual([['SHADOW_AGREEMENT', 'FIRING', 'CRITICAL', 'v2', 'agreement:v1', T0 + 2 * HOUR]]);
    expect(alerts[0]!.value).toBe(0.5);
    expect(alerts[0]!.evidence[0]).toMatchObject({
      subject: 'agreement:v1',
      method: 'agreement_rate',
      sample_count: PER_HOUR,
      test: 'wilson_bound',
    });
    expect(alerts[0]!.message).toMatch(/100 of 200 shared requests got the same label from v1/);

    const stored = await waitFor(
      'the alert row',
      () =>
        rows<{ alert_id: string; kind: string; metric: string }>(
          ch,
          `SELECT alert_id, kind, metric FROM ${db}.alerts FINAL WHERE model_id = 'ranker'`,
        ),
      (r) => r.length >= 1,
      30_000,
    );
    expect(stored).toEqual([
      { alert_id: alerts[0]!.alert_id, kind: 'SHADOW_AGREEMENT', metric: 'agreement:v1' },
    ]);
  });
});
