import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { confidenceOf } from '../../services/core/src/metrics/model-metrics.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { buildReferenceCommand } from '../../services/drift-monitor/src/reference-cli.ts';
import { DATASET_FEATURE } from '../../services/drift-monitor/src/rows.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { countOrZero, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, produce, testKafka } from './utils/kafka.ts';
import {
  scrapeMetrics,
  startServiceProcess,
  waitReady,
  type ServiceProcess,
} from './utils/service-process.ts';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const MINUTE = 60_000;
const ch = testClickHouse();
const kafka = testKafka();
const started: ServiceProcess[] = [];
const databases: string[] = [];

function events(modelVersion: string, seed: number, count: number, startMs: number): InferenceEvent[] {
  const gen = classifierTraffic({
    modelId: 'fraud',
    modelVersion,
    numericFeatures: 3,
    seed,
    startMs,
    stepMs: 60,
  });
  return take(count, gen).map((p) => ({
    ...p.inference,
    prediction_id: `${modelVersion}-${seed}-${p.inference.prediction_id}`,
  }));
}

/** The value of the sample `name` whose labels include `labels`, or undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text
    .split('\n')
    .find(
      (l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((w) => l.includes(w)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

afterAll(async () => {
  for (const p of started) await p.stop('SIGKILL');
  for (const db of databases) await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.close();
});

describe('per-model Prometheus series on a running drift monitor (real Kafka, registry, ClickHouse)', () => {
  it('shouldExposeConfidenceLatencyAndDriftSeriesPerModelVersionAndFoldVersionsBeyondTheCap', async () => {
    const env = isolatedEnv({
      DRIFTLINE_DRIFT_WINDOW: '1m',
      DRIFTLINE_DRIFT_GRACE: '5s',
      DRIFTLINE_DRIFT_CLOSE_INTERVAL: '300ms',
      DRIFTLINE_METRICS_MAX_MODEL_VERSIONS: '1',
    });
    env.DRIFTLINE_DRIFT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}drift`;
    env.DRIFTLINE_DRIFT_CONCEPT_GROUP_ID = `${env.DRIFTLINE_TOPIC_PREFIX}concept`;
    const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
    databases.push(db);
    const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'model-metrics-')), 'reference.jsonl');
    const reference = events('v1', 7, 3000, T0 - 86_400_000);
    writeFileSync(file, reference.map((e) => JSON.stringify(e)).join('\n'));
    await buildReferenceCommand({ modelId: 'fraud', modelVersion: 'v1', from: file, env });
    const p = startServiceProcess('drift-monitor', env);
    started.push(p);
    await waitReady(p);

    // v1 first, so it takes the one pair the cap allows; v2 comes later and is folded into __other__.
    const v1 = events('v1', 11, 2500, T0);
    const v2 = events('v2', 12, 40, T0 + MINUTE);
    const enc = await avroEncoder(topics.inference, 'InferenceEvent');
    const encode = (e: InferenceEvent) => enc.encode(e).then((value) => ({ key: e.prediction_id, value }));
    await produce(kafka, topics.inference, await Promise.all(v1.map(encode)));
    await produce(kafka, topics.inference, await Promise.all(v2.map(encode)));
    await waitFor(
      'a closed drift window of v1',
      () =>
        countOrZero(ch, `SELECT count() FROM ${db}.drift_metrics FINAL WHERE feature = '${DATASET_FEATURE}'`),
      (n) => n >= 1,
      180_000,
    );
    const pair = (v: string) => ({ model_id: v === '__other__' ? v : 'fraud', model_version: v });
    const scrape = async () => scrapeMetrics(await p.port());
    // The window's drift_metrics rows are written before its close record and then the gauges: a scrape right
    // after the rows appear can come before the gauges are set, so the wait includes them.
    const text = await waitFor(
      'every event in the histograms and the closed window in the gauges',
      scrape,
      (t) =>
        sample(t, 'driftline_model_prediction_confidence_count', pair('v1')) === 2500 &&
        sample(t, 'driftline_model_prediction_confidence_count', pair('__other__')) === 40 &&
        sample(t, 'driftline_model_drift_share', pair('v1')) !== undefined,
      120_000,
    );
    const confidenceSum = v1.reduce((s, e) => s + confidenceOf(e.prediction.scores)!, 0);
    const latencySum = v1.reduce((s, e) => s + e.latency_ms! / 1000, 0);
    expect(sample(text, 'driftline_model_prediction_confidence_sum', pair('v1'))).toBeCloseTo(
      confidenceSum,
      6,
    );
    expect(sample(text, 'driftline_model_inference_latency_seconds_count', pair('v1'))).toBe(2500);
    expect(sample(text, 'driftline_model_inference_latency_seconds_sum', pair('v1'))).toBeCloseTo(
      latencySum,
      6,
    );
    const share = sample(text, 'driftline_model_drift_share', pair('v1'));
    expect(share).toBeGreaterThanOrEqual(0);
    expect(share).toBeLessThanOrEqual(1);
    expect(sample(text, 'driftline_model_drifted_features', pair('v1'))).toBeGreaterThanOrEqual(0);
    expect(
      text
        .split('\n')
        .filter((l) => l.startsWith('driftline_model_'))
        .join('\n'),
    ).not.toContain('model_version="v2"');
    expect(sample(text, 'driftline_model_series_overflow_total')).toBe(40);
  });
});
