// Two deployments (other topic prefixes, other databases) in one Kafka cluster with the same consumer group id,
// as happens when both keep the default group ids. kafkajs' own assigner dealt each sink partitions of the
// other's topics, which it dropped, so part of each deployment's events was never read while both ran; every
// consumer now deals a topic's partitions only to the members that read it (core/kafka/subscription-assigner.ts).
import { randomBytes } from 'node:crypto';
import { afterAll, describe, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { countOrZero, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

const group = `shared-sink-${randomBytes(4).toString('hex')}`;
const deployments = [0, 1].map(() => isolatedEnv({ DRIFTLINE_SINK_GROUP_ID: group }));
const ch = testClickHouse();
const running: ServiceProcess[] = [];
const EVENTS = 600;

describe('two deployments sharing a consumer group id (real Kafka, registry, ClickHouse)', () => {
  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL');
    for (const env of deployments)
      await ch.command({ query: `DROP DATABASE IF EXISTS ${env.DRIFTLINE_CLICKHOUSE_DATABASE}` });
    await ch.close();
  });

  it('shouldStoreEveryEventOfEachDeploymentWhenTheirSinksShareAGroupId', { timeout: 300_000 }, async () => {
    for (const env of deployments) running.push(startServiceProcess('sink', env));
    await Promise.all(running.map((p) => waitReady(p)));
    for (const [n, env] of deployments.entries()) {
      const topic = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! }).inference;
      const enc = await avroEncoder(topic, 'InferenceEvent');
      const pairs = take(
        EVENTS,
        classifierTraffic({
          modelId: `m${n}`,
          modelVersion: 'v1',
          startMs: Date.parse('2026-05-01T00:00:00Z'),
        }),
      );
      const messages = await Promise.all(
        pairs.map(async (p) => ({ key: p.inference.prediction_id, value: await enc.encode(p.inference) })),
      );
      await produce(testKafka(), topic, messages);
    }
    for (const env of deployments) {
      const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
      await waitFor(
        `${EVENTS} rows in ${db}`,
        () => countOrZero(ch, `SELECT count() FROM ${db}.inference_log FINAL`),
        (n) => n === EVENTS,
        120_000,
      );
    }
  });
});
