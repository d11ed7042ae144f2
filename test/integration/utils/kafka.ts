import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Message } from '../../../services/core/src/kafka/client.ts';
import { groupLag } from '../../../services/cli/src/lag.ts';
import { readSchema, type RecordName } from '../../../services/core/src/records/schema-files.ts';
import { waitFor } from './env.ts';

export function testKafka(): Kafka {
  return new Kafka({
    clientId: 'driftline-test',
    brokers: (process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
}

/** A user's producer: @kafkajs/confluent-schema-registry encoding, as the README tells users to do. */
export async function avroEncoder(topic: string, record: RecordName) {
  const registry = new SchemaRegistry({
    host: process.env.DRIFTLINE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
  });
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(readSchema(record)) },
    { subject: `${topic}-value` },
  );
  return { id, encode: (value: unknown) => registry.encode(id, value) };
}

export async function produce(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < messages.length; i += 1000) {
    await producer.send({ topic, messages: messages.slice(i, i + 1000) });
  }
  await producer.disconnect();
}

/** Reads every message currently in a topic (from the beginning) until `count` arrived. */
export async function consumeAll(kafka: Kafka, topic: string, count: number, timeoutMs = 60_000) {
  const consumer = kafka.consumer({ groupId: `reader-${Math.random().toString(16).slice(2)}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const got: {
    key: string | null;
    value: Buffer | null;
    headers: Record<string, string>;
    partition: number;
  }[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${got.length}/${count} messages on ${topic}`)),
      timeoutMs,
    );
    void consumer.run({
      eachMessage: async ({ message, partition }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
        got.push({ key: message.key?.toString() ?? null, value: message.value, headers, partition });
        if (got.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return got;
}

/** Offsets of `topic` a consumer group has not committed yet (the CLI's `groupLag`). */
export async function lagOf(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await groupLag(admin, groupId, [topic]);
  } finally {
    await admin.disconnect();
  }
}

/** Waits until `groupId` has committed everything of each of `topics` (one topic after the other). */
export async function waitForGroupCaughtUp(
  kafka: Kafka,
  groupId: string,
  topics: readonly string[],
  timeoutMs = 180_000,
): Promise<void> {
  for (const topic of topics)
    await waitFor(
      `${groupId} caught up on ${topic}`,
      () => lagOf(kafka, groupId, topic),
      (n) => n === 0,
      timeoutMs,
    );
}
