// Compressed batches from any producer: a Python confluent-kafka (librdkafka) producer with each codec Kafka
// defines writes Avro inference and ground-truth events; the sink, the label joiner and the drift monitor read
// them all, every event lands once and joins, and no service crashes or restarts. And the other way round: what
// our services' client writes with each codec, librdkafka reads.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { CompressionTypes } from '../../services/core/src/kafka/client.ts';
import { countOrZero, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { testKafka } from './utils/kafka.ts';
import {
  scrapeMetrics,
  startServiceProcess,
  waitReady,
  type ServiceProcess,
} from './utils/service-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// gzip last: kafkajs read it before; the others stopped every consumer until the codecs were registered.
const CODECS = ['snappy', 'lz4', 'zstd', 'gzip'] as const;
const COMPRESSION = {
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};
const SERVICES = ['sink', 'label-joiner', 'drift-monitor'];
const N = 400;
const ch = testClickHouse();
const kafka = testKafka();
const env = isolatedEnv({
  DRIFTLINE_STATE_DIR: mkdtempSync(path.join(tmpdir(), 'driftline-codecs-')),
  DRIFTLINE_JOINER_IDLE_MS: '1000',
});
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const brokers = env.DRIFTLINE_KAFKA_BROKERS!;
const running = new Map<string, { process: ServiceProcess; port: number }>();
let python = '';

function run(args: string[]): string {
  return execFileSync(python, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
}

/** Sum of one counter's samples whose labels contain `labels`, from a service's /metrics. */
async function counter(service: string, name: string, labels = ''): Promise<number> {
  const body = await scrapeMetrics(running.get(service)!.port);
  return [...body.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\d+)`, 'gm'))]
    .filter((m) => m[1]!.includes(labels))
    .reduce((s, m) => s + Number(m[2]), 0);
}

beforeAll(async () => {
  python = execFileSync('bash', [path.join(ROOT, 'infra/python-env.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  for (const service of SERVICES) {
    const process = startServiceProcess(service, env);
    running.set(service, { process, port: 0 });
    running.get(service)!.port = await waitReady(process);
  }
});

afterAll(async () => {
  for (const { process } of running.values()) await process.stop('SIGTERM');
  await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.close();
});

describe.each(CODECS)('a librdkafka producer with compression.type=%s', (codec) => {
  it(`shouldLandEveryEventOnceAndJoinItWithEveryServiceUpWhenBatchesAre${codec}`, async () => {
    const prefix = `${codec}-${Date.now().toString(36)}`;
    const out = run([
      'test/integration/python/produce_compressed.py',
      brokers,
      env.DRIFTLINE_SCHEMA_REGISTRY_URL!,
      topics.inference,
      topics.groundTruth,
      String(N),
      prefix,
      codec,
    ]);
    expect(JSON.parse(out)).toEqual({ codec, inference: N, ground_truth: N });

    const where = `WHERE prediction_id LIKE '${prefix}-%'`;
    for (const table of ['inference_log', 'ground_truth', 'labeled_predictions']) {
      await waitFor(
        `${N} rows of ${prefix} in ${table}`,
        () => countOrZero(ch, `SELECT uniqExact(prediction_id) FROM ${db}.${table} ${where}`),
        (n) => n >= N,
        120_000,
      );
      // Once each: FINAL collapses replays of the same row, never two different ones.
      expect(await countOrZero(ch, `SELECT count() FROM ${db}.${table} FINAL ${where}`)).toBe(N);
    }
    const modelRows = `SELECT count() FROM ${db}.labeled_predictions FINAL WHERE model_id = 'codec-${codec}'`;
    expect(await countOrZero(ch, modelRows)).toBe(N);
    // The drift monitor read every inference event of every codec so far.
    const produced = N * (CODECS.indexOf(codec) + 1);
    await waitFor(
      `the drift monitor to read ${produced} inference events`,
      () => counter('drift-monitor', 'driftline_events_in_total', `topic="${topics.inference}"`),
      (n) => n >= produced,
    );

    for (const [service, { process }] of running) {
      expect(process.child.exitCode, `${service} exited:\n${process.logs()}`).toBeNull();
      expect(process.logs(), `${service} crashed`).not.toMatch(/Crash: |KafkaJSNotImplemented/);
      expect(await counter(service, 'driftline_kafka_undecodable_batches_total')).toBe(0);
    }
    expect(await counter('sink', 'driftline_dead_letters_total')).toBe(0);
  });

  it(`shouldWriteBatchesLibrdkafkaReadsWhenOurProducerCompressesWith${codec}`, async () => {
    const topic = `${env.DRIFTLINE_TOPIC_PREFIX}codec-out-${codec}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const messages = Array.from({ length: 200 }, (_, i) => ({
      key: `k${i}`,
      value: `{"prediction_id":"p-${i}","codec":"${codec}"} `.repeat(1 + (i % 40)),
    }));
    const producer = kafka.producer();
    await producer.connect();
    const compression = COMPRESSION[codec];
    await producer.send({ topic, compression, messages });
    await producer.disconnect();

    const read = run(['test/integration/python/consume_values.py', brokers, topic, String(messages.length)])
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { key: string; value: string });
    expect(read).toEqual(messages);
  });
});
