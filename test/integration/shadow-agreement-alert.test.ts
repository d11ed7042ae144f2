// Shadow agreement alertable, over the real servers: production v1 and shadow v2 scored the same requests
// (request_id); their rows are inserted straight into request_predictions, as the sink writes them
// (shadow-agreement.test.ts covers the sink's side), the shadow_agreement view counts the agreement per hour,
// and the alerter, as its own process, fires SHADOW_AGREEMENT once the agreement stays below the objective, on
// the alerts topic and in the alerts table. No label is ever sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { Alert } from '../../services/core/src/records/records.generated.ts';
import { createCodecs } from '../../services/core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../services/core/src/serde/schema-registry.ts';
import { rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { consumeAll, testKafka } from './utils/kafka.ts';
import { readAgreementWindows } from '../../services/alerter/src/agreement-inputs.ts';
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
let alerter: ServiceProcess;

/** A request_predictions row: the label one version gave request i of an hour. */
function scored(version: string, hour: number, i: number, label: string, model = 'ranker') {
  const atMs = T0 + hour * HOUR + i * 10_000;
  return {
    request_id: `req-${hour}-${i}`,
    model_id: model,
    model_version: version,
    prediction_id: `${version}-${hour}-${i}`,
    event_time: Math.floor(atMs / 1000),
    event_time_ms: atMs,
    predicted_label: label,
    ingested_at: Math.floor(atMs / 1000),
  };
}

/**
 * Hour 0: the versions agree on every request; hours 1 and 2: the shadow disagrees on every other one (0.5);
 * hour 3: they agree again, and its requests, up to 33 minutes past hour 2's end, close hour 2 (hour 3 stays
 * open: nothing comes after it).
 */
function traffic(model = 'ranker') {
  const out: ReturnType<typeof scored>[] = [];
  for (const hour of [0, 1, 2, 3]) {
    for (let i = 0; i < PER_HOUR; i++) {
      const shadowWrong = (hour === 1 || hour === 2) && i % 2 === 1;
      out.push(scored('v1', hour, i, 'a', model), scored('v2', hour, i, shadowWrong ? 'b' : 'a', model));
    }
  }
  return out;
}

describe('shadow agreement alerts over the real alerter (real Kafka, registry, ClickHouse)', () => {
  beforeAll(async () => {
    alerter = startServiceProcess('alerter', env); // migrates, creates the topics, registers the schemas
    await waitReady(alerter);
  });
  afterAll(async () => {
    await alerter?.stop();
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldFireShadowAgreementOnTheTopicAndInTheTableWhenTheShadowDisagreesForTwoHours', async () => {
    await ch.insert({ table: `${db}.request_predictions`, values: traffic(), format: 'JSONEachRow' });

    const published = await consumeAll(kafka, topics.alerts, 1, 120_000).catch((error: unknown) => {
      throw new Error(`no alert; the alerter said:\n${alerter.logs().slice(-4000)}`, { cause: error });
    });
    const alerts: Alert[] = await Promise.all(published.map((m) => codecs.alert.decode(m.value)));
    // Hour 1 breaches (pending: for_windows 2), hour 2 fires; hour 3 is still open.
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

  it('shouldLeaveAnHourUnjudgedWhileItsRowsAreStillBeingStored', async () => {
    // The same traffic for another model, hour 1's rows stored "now" (an hour ahead, so that a slow machine
    // cannot let them settle during the test): hour 0 is closed; hour 1 has not settled, and hour 2, though
    // past its grace and settled, waits for it (windows are judged once, in order); hour 3 is open.
    const nowS = Math.floor(Date.now() / 1000) + 3600;
    const settling = traffic('settling').map((r) =>
      r.event_time_ms >= T0 + HOUR && r.event_time_ms < T0 + 2 * HOUR ? { ...r, ingested_at: nowS } : r,
    );
    await ch.insert({ table: `${db}.request_predictions`, values: settling, format: 'JSONEachRow' });
    const windows = await readAgreementWindows({ clickhouse: ch, database: db } as never, {
      sinceMs: 0,
      newSeriesSinceMs: 0,
      known: [],
    });
    expect(
      windows.filter((w) => w.modelId === 'settling').map((w) => [w.startMs, w.modelVersion, w.pairs]),
    ).toEqual([[T0, 'v2', [{ champion: 'v1', requests: PER_HOUR, agreements: PER_HOUR }]]]);
    // The alerter's bounded read gives the shadow_agreement view's figures for every closed hour (not hour 3).
    const view = await rows<{ start_ms: string; requests: string; agreements: string }>(
      ch,
      `SELECT toUInt64(toUnixTimestamp(window_start)) * 1000 AS start_ms, requests, agreements
       FROM ${db}.shadow_agreement WHERE model_id = 'ranker' ORDER BY start_ms`,
    );
    const figures = (w: (typeof windows)[number]) => [
      w.startMs,
      w.pairs[0]!.requests,
      w.pairs[0]!.agreements,
    ];
    expect(
      windows
        .filter((w) => w.modelId === 'ranker')
        .sort((x, y) => x.startMs - y.startMs)
        .map(figures),
    ).toEqual(view.slice(0, 3).map((r) => [Number(r.start_ms), Number(r.requests), Number(r.agreements)]));
    expect(view).toHaveLength(4);
  });
});
