import { loadConfig } from '../../../core/src/config/load.ts';
import { topicNames } from '../../../core/src/config/topics.ts';
import { createClickHouse } from '../../../core/src/clickhouse/client.ts';
import { createKafka } from '../../../core/src/kafka/client.ts';
import { createLogger } from '../../../core/src/logger.ts';
import { createCodecs, registerSchemas } from '../../../core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../../core/src/serde/schema-registry.ts';
import { classifierTraffic, take } from '../../../simulator/src/classifier-traffic.ts';
import { publishTraffic } from '../../../simulator/src/publish.ts';
import { down } from './down.ts';
import { up } from './up.ts';

/**
 * The main job: the whole stack, simulated traffic of a classifier, and what the pipeline made of it, read back
 * from ClickHouse.
 */
export async function demo(options: { events: number; keepRunning: boolean }): Promise<void> {
  await up();
  const config = loadConfig();
  const topics = topicNames(config);
  const registry = new SchemaRegistryClient({
    url: config.registryUrl,
    username: config.registryUsername,
    password: config.registryPassword,
  });
  const codecs = createCodecs(registry);
  await registerSchemas(registry, codecs, topics);
  const producer = createKafka(config, 'demo', createLogger('demo', 'warn')).producer();
  await producer.connect();
  const started = performance.now();
  const startMs = Date.now() - options.events * 100;
  const pairs = take(
    options.events,
    classifierTraffic({
      modelId: 'churn',
      modelVersion: 'v1',
      startMs,
      seed: Date.now() % 100000,
      idPrefix: `demo-${startMs}`,
    }),
  );
  const sent = await publishTraffic(producer, codecs, topics, pairs);
  await producer.disconnect();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `produced ${sent.predictions} predictions and ${sent.labels} labels in ${seconds.toFixed(1)} s`,
  );

  const ch = createClickHouse(config);
  const db = config.clickhouseDatabase;
  const deadline = Date.now() + 120_000;
  let landed = 0;
  while (Date.now() < deadline && landed < sent.predictions) {
    const r = await ch.query({
      query: `SELECT count() AS n FROM ${db}.inference_log FINAL WHERE prediction_id LIKE 'demo-${startMs}-%'`,
      format: 'JSONEachRow',
    });
    landed = Number((await r.json<{ n: string }>())[0]?.n ?? 0);
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(
    `inference_log holds ${landed} of them (${((performance.now() - started) / 1000).toFixed(1)} s after the first send)`,
  );
  const summary = await ch.query({
    query: `SELECT model_id, model_version, count() AS predictions, round(avg(latency_ms), 2) AS mean_latency_ms
            FROM ${db}.inference_log FINAL GROUP BY model_id, model_version ORDER BY model_id, model_version`,
    format: 'TabSeparatedWithNames',
  });
  console.log(await summary.text());
  await ch.close();
  if (!options.keepRunning) await down();
}
