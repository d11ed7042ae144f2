// One idle kafkajs consumer, run by bench/idle.ts in a process of its own: `released` (kafkajs 2.2.4 as
// published), `patched` (our kafkajs-patches.ts loaded first, as in every service, the long poll off:
// DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS=0) or `long-poll` (the same with the setting's default). Prints `ready` once
// it has joined its group; then fetches an empty topic until killed.
import { createRequire } from 'node:module';

const [mode, brokers, topic] = process.argv.slice(2) as [string, string, string];
if (mode !== 'released') {
  await import('../../services/core/src/kafka/kafkajs-patches.ts');
  const { setIdleFetchWait } = await import('../../services/core/src/kafka/idle-fetch.ts');
  const { SETTINGS } = await import('../../services/core/src/config/settings.ts');
  setIdleFetchWait(mode === 'long-poll' ? Number(SETTINGS.kafkaFetchIdleWaitMs.default) : 0);
}
const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');
const kafka = new Kafka({
  clientId: `idle-${mode}`,
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
});
// The fetch settings of our services (DRIFTLINE_KAFKA_FETCH_MIN_BYTES, DRIFTLINE_KAFKA_FETCH_MAX_WAIT_MS).
const consumer = kafka.consumer({ groupId: `${topic}-${mode}`, minBytes: 1_048_576, maxWaitTimeInMs: 200 });
consumer.on(consumer.events.GROUP_JOIN, () => console.log('ready'));
await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });
await consumer.run({ eachBatch: async () => {} });
