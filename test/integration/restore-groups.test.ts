import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import { joinedStream } from '../unit/performance-monitor/stream.ts';
import { testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, lagOf, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady } from './utils/service-process.ts';

// Each restart restores the performance monitor's windows from its changelog. kafkajs reads only through a
// consumer group, so the restore uses a throwaway one; it must be gone once the restore is over.
const env = isolatedEnv({ DRIFTLINE_PERF_WINDOWS: '5m', DRIFTLINE_PERF_SESSION_TIMEOUT_MS: '6000' });
env.DRIFTLINE_PERF_GROUP_ID = `perf-${env.DRIFTLINE_TOPIC_PREFIX}`;
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const kafka = testKafka();
const ch = testClickHouse();
const T0 = Date.parse('2026-02-01T00:00:00Z');

async function send(records: JoinedPrediction[]): Promise<void> {
  const { encode } = await avroEncoder(topics.joined, 'JoinedPrediction');
  const messages = await Promise.all(records.map(async (r) => ({ key: r.model_id, value: await encode(r) })));
  await produce(kafka, topics.joined, messages);
}

/** One life of the service: started, fed `records`, stopped once it consumed them all. Returns its logs. */
async function life(records: JoinedPrediction[]): Promise<string> {
  const service = startServiceProcess('performance-monitor', env);
  await waitReady(service);
  await send(records);
  const lag = () => lagOf(kafka, env.DRIFTLINE_PERF_GROUP_ID!, topics.joined);
  await waitFor('all consumed', lag, (n) => n === 0, 120_000);
  await service.stop();
  return service.logs();
}

async function restoreGroups(): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    return groups
      .map((g) => g.groupId)
      .filter((id) => id.startsWith(`${env.DRIFTLINE_PERF_GROUP_ID}-restore-`));
  } finally {
    await admin.disconnect();
  }
}

describe('changelog restore on restart (real Kafka)', () => {
  afterAll(async () => {
    await ch.command({ query: `DROP DATABASE IF EXISTS ${env.DRIFTLINE_CLICKHOUSE_DATABASE}` });
    await ch.close();
  });

  it('shouldLeaveNoRestoreGroupWhenRestartedTwice', { timeout: 400_000 }, async () => {
    const records = joinedStream(600, { startMs: T0, stepMs: 2000, maxDisorderMs: 0, seed: 7 });
    await life(records.slice(0, 200));
    const restored = [await life(records.slice(200, 400)), await life(records.slice(400))];
    for (const logs of restored) {
      const lines = logs.split('\n').filter((l) => l.includes('state restored from the changelog'));
      expect(
        lines.some((l) => /"records":[1-9]/.test(l)),
        logs.slice(-3000),
      ).toBe(true);
    }
    expect(await restoreGroups()).toEqual([]);
  });
});
