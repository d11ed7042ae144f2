import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/src/config/load.ts';
import { createKafka } from '../../services/core/src/kafka/client.ts';
import { createLogger } from '../../services/core/src/logger.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { produce, testKafka } from './utils/kafka.ts';

// A service's consumer fetches for 1 MB or 200 ms (DRIFTLINE_KAFKA_FETCH_MIN_BYTES, _MAX_WAIT_MS). With no
// traffic that is five empty answers a second for the life of the service; after an empty answer the next
// fetch long-polls for the first byte, up to DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS (idle-fetch.ts). Counted here
// on the real broker: an idle consumer's Fetch requests over a few seconds, with the long poll and without,
// and a record produced while it is idle still reaches it.
const env = isolatedEnv();
const kafka = testKafka();
const IDLE_SECONDS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const topics: string[] = [];

afterAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
});

/** An idle consumer of a new topic under `settings`: its Fetch requests over IDLE_SECONDS, then one record. */
async function idleConsumer(settings: Record<string, string>): Promise<{ fetches: number; got: string }> {
  const topic = `${env.DRIFTLINE_TOPIC_PREFIX}idle-${randomBytes(3).toString('hex')}`;
  topics.push(topic);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();

  const client = createKafka(
    loadConfig({ ...env, ...settings }),
    'idle-test',
    createLogger('test', 'silent'),
  );
  const consumer = client.consumer({ groupId: `${topic}-group` });
  let joined = false;
  let counting = false;
  let fetches = 0;
  const received: string[] = [];
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  consumer.on(consumer.events.REQUEST, (e) => {
    if (counting && e.payload.apiName === 'Fetch') fetches++;
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) received.push(m.value!.toString());
    },
  });
  try {
    await waitFor('the group join', async () => joined, Boolean);
    await sleep(1500); // past the join's own requests
    counting = true;
    await sleep(IDLE_SECONDS * 1000);
    counting = false;
    await produce(kafka, topic, [{ key: 'k', value: 'after the lull' }]);
    await waitFor(
      'the record',
      async () => received.length,
      (n) => n > 0,
      30_000,
    );
    return { fetches, got: received.join() };
  } finally {
    await consumer.disconnect();
  }
}

describe('idle fetches', () => {
  it('shouldAskKafkaAboutOnceASecondWhenIdleAndStillGetTheNextRecord', async () => {
    const polled = await idleConsumer({ DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS: '1000' });
    const batching = await idleConsumer({ DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS: '0' });
    // Every 200 ms without the long poll (about 20 in 4 s), about once a second with it.
    expect(batching.fetches).toBeGreaterThanOrEqual(IDLE_SECONDS * 3);
    expect(polled.fetches).toBeLessThanOrEqual(IDLE_SECONDS + 2);
    expect(polled.got).toBe('after the lull');
    expect(batching.got).toBe('after the lull');
  }, 60_000);
});
