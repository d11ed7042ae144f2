// The servers from infra/stack.sh against the clients the project uses:
// kafkajs (admin, producer, consumer groups, transactions with read_committed),
// @kafkajs/confluent-schema-registry against Apicurio's Confluent API,
// @clickhouse/client against Debian's ClickHouse, and Python confluent-kafka's
// AvroSerializer (infra/python-env.sh) read back by the JavaScript clients.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '@clickhouse/client';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import {
  Kafka,
  logLevel,
  type Admin,
  type Consumer,
  type KafkaMessage,
} from '../../services/core/src/kafka/client.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

const brokers = (process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const registryUrl = process.env.DRIFTLINE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const clickhouseUrl = process.env.DRIFTLINE_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';

const uid = () => randomBytes(4).toString('hex');
const kafka = new Kafka({ clientId: 'stack-test', brokers, logLevel: logLevel.ERROR });

/** Runs a consumer until `count` messages arrived (or the timeout), then stops it. */
async function collect(consumer: Consumer, count: number, timeoutMs = 60_000): Promise<KafkaMessage[]> {
  const got: KafkaMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got.length} of ${count} messages`)), timeoutMs);
    void consumer
      .run({
        eachMessage: async ({ message }) => {
          got.push(message);
          if (got.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.stop();
  return got;
}

/**
 * Creates topics and waits until the broker serves them. Not createTopics'
 * waitForLeaders: on a fresh KRaft broker under load, kafkajs' wait loop gets
 * UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition")
 * from a broker whose metadata lags the controller, and gives up, since it only
 * retries LEADER_NOT_AVAILABLE. Metadata can also show a leader a moment before
 * the partition is open, so this polls ListOffsets, which the partition answers.
 */
async function createTopicsReady(
  admin: Admin,
  topics: { topic: string; numPartitions?: number }[],
): Promise<boolean> {
  const created = await admin.createTopics({ topics, waitForLeaders: false });
  for (const { topic } of topics) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await admin.fetchTopicOffsets(topic);
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  return created;
}

describe('infra/stack.sh servers', () => {
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
  });

  it('shouldCreateTopicsAndReportMetadataOnKafka', async () => {
    const topic = `stack-meta-${uid()}`;
    expect(await createTopicsReady(admin, [{ topic, numPartitions: 3 }])).toBe(true);
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(topics[0]!.name).toBe(topic);
    expect(topics[0]!.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
    const cluster = await admin.describeCluster();
    expect(cluster.brokers).toHaveLength(1);
  });

  it('shouldProduceAndConsumeInAConsumerGroup', async () => {
    const topic = `stack-group-${uid()}`;
    const groupId = `stack-group-${uid()}`;
    await createTopicsReady(admin, [{ topic, numPartitions: 3 }]);

    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    await producer.send({ topic, messages });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    try {
      const got = await collect(consumer, 30);
      expect(got.map((m) => m.value!.toString()).sort()).toEqual(messages.map((m) => m.value).sort());
      const { groups } = await admin.describeGroups([groupId]);
      expect(groups[0]!.protocolType).toBe('consumer');
    } finally {
      await consumer.disconnect();
    }
  });

  it('shouldCommitTransactionsWithOffsetsAndHideAbortedOnesFromReadCommitted', async () => {
    const input = `stack-txn-in-${uid()}`;
    const output = `stack-txn-out-${uid()}`;
    const groupId = `stack-txn-group-${uid()}`;
    await createTopicsReady(admin, [{ topic: input }, { topic: output }]);

    const producer = kafka.producer({
      transactionalId: `stack-txn-${uid()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const first = await producer.transaction();
      await first.send({ topic: output, messages: [{ key: 'a', value: 'committed-1' }] });
      await first.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic: input, partitions: [{ partition: 0, offset: '3' }] }],
      });
      await first.commit();

      const second = await producer.transaction();
      await second.send({ topic: output, messages: [{ key: 'b', value: 'aborted-1' }] });
      await second.abort();

      const third = await producer.transaction();
      await third.send({ topic: output, messages: [{ key: 'c', value: 'committed-2' }] });
      await third.commit();
    } finally {
      await producer.disconnect();
    }

    const [offsets] = await admin.fetchOffsets({ groupId, topics: [input] });
    expect(offsets!.partitions).toEqual([expect.objectContaining({ partition: 0, offset: '3' })]);

    // readUncommitted: false is kafkajs' read_committed isolation.
    const consumer = kafka.consumer({ groupId: `stack-txn-reader-${uid()}`, readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [output], fromBeginning: true });
    try {
      const got = await collect(consumer, 2);
      // committed-2 sits after the aborted record in the log: had it leaked, it would come first.
      expect(got.map((m) => m.value!.toString())).toEqual(['committed-1', 'committed-2']);
    } finally {
      await consumer.disconnect();
    }
  });

  it('shouldRegisterEvolveAndRoundTripAvroThroughTheConfluentApi', async () => {
    const registry = new SchemaRegistry({ host: registryUrl });
    const subject = `stack-avro-${uid()}-value`;
    const v1 = {
      type: 'record',
      name: 'StackSmoke',
      namespace: 'dev.driftline.test',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'n', type: 'long' },
      ],
    };
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(v1) },
      { subject },
    );
    expect(
      (await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject })).id,
    ).toBe(id);

    const encoded = await registry.encode(id, { id: 'a', n: 42 });
    expect(encoded[0]).toBe(0);
    expect(encoded.readInt32BE(1)).toBe(id);
    expect(await registry.decode(encoded)).toEqual({ id: 'a', n: 42 });

    // BACKWARD: a new optional field is accepted, a new required one is not.
    const v2 = { ...v1, fields: [...v1.fields, { name: 'score', type: ['null', 'double'], default: null }] };
    const { id: id2 } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(v2) },
      { subject },
    );
    expect(id2).not.toBe(id);
    expect(await registry.getLatestSchemaId(subject)).toBe(id2);
    const v3 = { ...v1, fields: [...v1.fields, { name: 'required', type: 'string' }] };
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v3) }, { subject }),
    ).rejects.toThrow();
    expect(await registry.decode(encoded)).toEqual({ id: 'a', n: 42 });
  });

  it('shouldPingCreateInsertAndQueryOnClickHouse', async () => {
    const ch = createClient({ url: clickhouseUrl });
    const table = `default.stack_test_${uid()}`;
    try {
      expect((await ch.ping()).success).toBe(true);
      await ch.command({
        query: `CREATE TABLE ${table} (id String, n UInt32, at DateTime) ENGINE = MergeTree() ORDER BY (id)`,
      });
      await ch.insert({
        table,
        format: 'JSONEachRow',
        values: [
          { id: 'b', n: 2, at: '2024-01-01 00:00:02' },
          { id: 'a', n: 1, at: '2024-01-01 00:00:01' },
        ],
      });
      const result = await ch.query({
        query: `SELECT id, n, toUnixTimestamp(at) AS t FROM ${table} ORDER BY id`,
        format: 'JSONEachRow',
      });
      expect(await result.json()).toEqual([
        { id: 'a', n: 1, t: 1704067201 },
        { id: 'b', n: 2, t: 1704067202 },
      ]);
    } finally {
      await ch.command({ query: `DROP TABLE IF EXISTS ${table}` }).catch(() => {});
      await ch.close();
    }
  });

  it('shouldReadPythonConfluentKafkaAvroWithTheJavaScriptClients', async () => {
    const env = await run('bash', [path.join(ROOT, 'infra', 'python-env.sh')], {
      cwd: ROOT,
      maxBuffer: 1 << 20,
    });
    const python = env.stdout.trim().split('\n').pop()!;
    const topic = `stack-py-${uid()}`;
    const smoke = path.join(ROOT, 'infra', 'lib', 'python_avro_smoke.py');
    const { stdout } = await run(python, [smoke, brokers.join(','), registryUrl, topic, '3'], { cwd: ROOT });
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as { schema_id: number; count: number };
    expect(report.count).toBe(3);

    const registry = new SchemaRegistry({ host: registryUrl });
    expect(await registry.getLatestSchemaId(`${topic}-value`)).toBe(report.schema_id);
    const consumer = kafka.consumer({ groupId: `stack-py-reader-${uid()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    try {
      const got = await collect(consumer, 3);
      const values = await Promise.all(got.map((m) => registry.decode(m.value!)));
      expect(values).toEqual([
        { id: 'py-0', n: 0, score: null },
        { id: 'py-1', n: 1, score: 0.5 },
        { id: 'py-2', n: 2, score: null },
      ]);
    } finally {
      await consumer.disconnect();
    }
  });
});
