import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { countOrZero, rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

const env = isolatedEnv();
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const kafka = testKafka();
const ch = testClickHouse();
const T0 = Date.parse('2026-03-02T10:00:00Z');
let sink: ServiceProcess;

function scored(version: string, i: number, label: string, requestId: string | null): InferenceEvent {
  return {
    prediction_id: `${version}-${i}`,
    model_id: 'ranker',
    model_version: version,
    timestamp: T0 + i * 1000,
    features: { x: i },
    prediction: { label, scores: null, value: null },
    request_id: requestId,
  };
}

describe('shadow agreement over the real sink (real Kafka, registry, ClickHouse)', () => {
  beforeAll(async () => {
    sink = startServiceProcess('sink', env);
    await waitReady(sink);
  });
  afterAll(async () => {
    await sink?.stop();
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldStoreTheExactAgreementRateOfEachVersionPairWhenTheyScoredTheSameRequests', async () => {
    // 200 requests scored by v1 (production) and v2 (shadow), which disagrees on every 4th: 150/200 agree.
    // v3 scores the first 40 as v1 does. Predictions without a request id, and a re-sent one, change nothing.
    const events: InferenceEvent[] = [];
    for (let i = 0; i < 200; i++) {
      const request = `req-${i}`;
      events.push(scored('v1', i, 'a', request), scored('v2', i, i % 4 === 0 ? 'b' : 'a', request));
      if (i < 40) events.push(scored('v3', i, 'a', request));
      if (i < 20) events.push(scored('v1', 1000 + i, 'z', null));
    }
    events.push(scored('v2', 4, 'b', 'req-4'));
    const enc = await avroEncoder(topics.inference, 'InferenceEvent');
    await produce(
      kafka,
      topics.inference,
      await Promise.all(events.map(async (e) => ({ key: e.prediction_id, value: await enc.encode(e) }))),
    );
    await waitFor(
      'every prediction in inference_log',
      () => countOrZero(ch, `SELECT count() FROM ${db}.inference_log FINAL`),
      (n) => n >= 460,
      240_000,
    );
    await waitFor(
      'every request prediction stored',
      () => countOrZero(ch, `SELECT count() FROM ${db}.request_predictions FINAL`),
      (n) => n >= 440,
      60_000,
    );
    const agreement = await rows<{
      version_a: string;
      version_b: string;
      requests: string;
      agreements: string;
      agreement_rate: number;
    }>(
      ch,
      `SELECT version_a, version_b, requests, agreements, agreement_rate FROM ${db}.shadow_agreement
       WHERE model_id = 'ranker' ORDER BY version_a, version_b`,
    );
    expect(
      agreement.map((r) => [
        r.version_a,
        r.version_b,
        Number(r.requests),
        Number(r.agreements),
        r.agreement_rate,
      ]),
    ).toEqual([
      ['v1', 'v2', 200, 150, 0.75],
      ['v1', 'v3', 40, 40, 1],
      ['v2', 'v3', 40, 30, 0.75],
    ]);
  });
});
