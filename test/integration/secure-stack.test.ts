// The pipeline on the secured profile (infra/stack.sh --secure): its own Kafka (SASL/SCRAM-SHA-512 over TLS),
// registry (basic auth) and ClickHouse (password users limited to one database), started here on other ports
// and in a fresh data dir, stopped at the end. The plain stack the other files use is never touched.
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/src/config/load.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { KafkaConfig } from 'kafkajs';
import { createKafka, Kafka, logLevel } from '../../services/core/src/kafka/client.ts';
import { createLogger } from '../../services/core/src/logger.ts';
import { readSchema, type RecordName } from '../../services/core/src/records/schema-files.ts';
import { createClickHouse } from '../../services/core/src/clickhouse/client.ts';
import { boundedReader } from '../../services/mcp/src/reader.ts';
import { loadMcpSettings } from '../../services/mcp/src/settings.ts';
import { reportCommand } from '../../services/report/src/command.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { countOrZero } from './utils/clickhouse.ts';
import { waitFor } from './utils/env.ts';
import { produce } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'driftline-secure-'));
const SERVICES = ['sink', 'label-joiner', 'performance-monitor', 'drift-monitor', 'estimator', 'alerter'];
const EVENTS = 300;
let started: string[] = [];
let pipeline: Record<string, string>;
let reader: Record<string, string>;
let secrets: string[];
const services: ServiceProcess[] = [];

/** Runs infra/stack.sh --secure on this file's data dir; resolves with its stdout. */
function secureStack(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(ROOT, 'infra', 'stack.sh'), '--secure', ...args], {
      cwd: ROOT,
      env: { ...process.env, DRIFTLINE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`stack.sh --secure ${args.join(' ')}: ${out}`)),
    );
  });
}

/** KEY=value lines, as the secured profile writes them for clients. */
function envFile(name: string): Record<string, string> {
  const text = readFileSync(path.join(dataDir, 'secrets', name), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

function clickhouse(username?: string, password?: string): ClickHouseClient {
  return createClient({ url: pipeline.DRIFTLINE_CLICKHOUSE_URL!, username, password });
}

async function chError(client: ClickHouseClient, query: string): Promise<string> {
  try {
    await client.command({ query });
  } catch (error) {
    return String(error);
  } finally {
    await client.close();
  }
  return 'no error';
}

/** A kafkajs client that gives up at once: refusals must show as errors, not as retries. */
function bareKafka(extra: Partial<KafkaConfig>): Kafka {
  return new Kafka({
    clientId: 'secure-stack-test',
    brokers: [pipeline.DRIFTLINE_KAFKA_BROKERS!],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    authenticationTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    ...extra,
  });
}

const ca = () => readFileSync(pipeline.DRIFTLINE_KAFKA_SSL_CA_FILE!, 'utf8');
const scram = (password: string) =>
  ({ mechanism: 'scram-sha-512', username: 'driftline', password }) as const;

async function registryStatus(method: string, pathname: string, auth?: string): Promise<number> {
  const headers: Record<string, string> = { 'Content-Type': 'application/vnd.schemaregistry.v1+json' };
  if (auth) headers.Authorization = `Basic ${Buffer.from(auth).toString('base64')}`;
  const body = method === 'POST' ? JSON.stringify({ schema: '"string"' }) : undefined;
  const r = await fetch(`${pipeline.DRIFTLINE_SCHEMA_REGISTRY_URL}${pathname}`, { method, headers, body });
  return r.status;
}

async function avroEncoder(topic: string, record: RecordName) {
  const registry = new SchemaRegistry({
    host: pipeline.DRIFTLINE_SCHEMA_REGISTRY_URL!,
    auth: {
      username: pipeline.DRIFTLINE_SCHEMA_REGISTRY_USERNAME!,
      password: pipeline.DRIFTLINE_SCHEMA_REGISTRY_PASSWORD!,
    },
  });
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(readSchema(record)) },
    { subject: `${topic}-value` },
  );
  return (value: unknown) => registry.encode(id, value);
}

describe('the pipeline on the secured stack (SASL/SCRAM over TLS, ClickHouse users, registry auth)', () => {
  beforeAll(async () => {
    const out = await secureStack(['start']);
    console.log(out.trim());
    started = [...out.matchAll(/^(\w+)\s+healthy in /gm)].map((m) => m[1]!);
    pipeline = envFile('pipeline.env');
    reader = envFile('reader.env');
    secrets = readFileSync(path.join(dataDir, 'secrets', 'secrets.sh'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => l.slice(l.indexOf('=') + 1));
    const env = {
      ...pipeline,
      DRIFTLINE_STATE_DIR: path.join(dataDir, 'state'),
      DRIFTLINE_TOPIC_PARTITIONS: '3',
    };
    for (const name of SERVICES) services.push(startServiceProcess(name, env));
    for (const s of services) await waitReady(s, 180_000);
  }, 900_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    if (started.length) await secureStack(['stop', ...started]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 300_000);

  it('shouldJoinAndStoreEventsEndToEndWhenEveryClientAuthenticates', async () => {
    const topics = topicNames({ topicPrefix: 'ml.' });
    const pairs = take(
      EVENTS,
      classifierTraffic({ modelId: 'churn', modelVersion: 'v1', startMs: Date.now() - 3_600_000 }),
    );
    const encodeInference = await avroEncoder(topics.inference, 'InferenceEvent');
    const encodeTruth = await avroEncoder(topics.groundTruth, 'GroundTruthEvent');
    const kafka = createKafka(loadConfig(pipeline), 'secure-test', createLogger('secure-test', 'silent'));
    const inference = await Promise.all(
      pairs.map(async (p) => ({ key: p.inference.prediction_id, value: await encodeInference(p.inference) })),
    );
    const truth = await Promise.all(
      pairs.map(async (p) => ({ key: p.truth.prediction_id, value: await encodeTruth(p.truth) })),
    );
    await produce(kafka, topics.inference, inference);
    await produce(kafka, topics.groundTruth, truth);

    // Read back as the read-only user, as the report and the MCP server do.
    const ch = clickhouse(reader.DRIFTLINE_CLICKHOUSE_USER, reader.DRIFTLINE_CLICKHOUSE_PASSWORD);
    const db = pipeline.DRIFTLINE_CLICKHOUSE_DATABASE!;
    try {
      for (const table of ['inference_log', 'ground_truth', 'labeled_predictions']) {
        await waitFor(
          `${EVENTS} rows in ${table}`,
          () => countOrZero(ch, `SELECT count() FROM ${db}.${table} FINAL`),
          (n) => n >= EVENTS,
          180_000,
        );
        expect(await countOrZero(ch, `SELECT count() FROM ${db}.${table} FINAL`)).toBe(EVENTS);
      }
      const accuracyRows = await waitFor(
        'accuracy rows from the performance monitor',
        () =>
          countOrZero(ch, `SELECT count() FROM ${db}.performance_metrics FINAL WHERE metric = 'accuracy'`),
        (n) => n > 0,
        180_000,
      );
      expect(accuracyRows).toBeGreaterThan(0);
    } finally {
      await ch.close();
    }
    const printed: string[] = [];
    const model = await reportCommand(
      { model: 'churn', from: '7d' },
      { env: { ...process.env, ...reader }, print: (t) => printed.push(t) },
    );
    expect(model).toBeTruthy();
    expect(printed.join('\n')).toContain('churn');
    // The MCP tools' reader sets per-query limits: the read-only user may (readonly=2), and reads through it.
    const mcpClient = createClickHouse(loadConfig(reader));
    try {
      const select = boundedReader(mcpClient, loadMcpSettings({}));
      const [row] = await select(`SELECT count() AS n FROM ${db}.labeled_predictions FINAL`);
      expect(Number(row!.n)).toBe(EVENTS);
    } finally {
      await mcpClient.close();
    }
  });

  it('shouldRefuseKafkaClientsWithoutValidCredentials', async () => {
    const attempts: [string, Kafka][] = [
      ['plain text', bareKafka({})],
      ['TLS without SASL', bareKafka({ ssl: { ca: [ca()] } })],
      ['TLS with a wrong password', bareKafka({ ssl: { ca: [ca()] }, sasl: scram('wrong') })],
      [
        'an unknown CA (the system CAs)',
        bareKafka({ ssl: true, sasl: scram(pipeline.DRIFTLINE_KAFKA_PASSWORD!) }),
      ],
    ];
    // The controller listener too: TLS and a password only the broker itself knows.
    const controller = `127.0.0.1:${process.env.DRIFTLINE_SECURE_KAFKA_CONTROLLER_PORT ?? '19093'}`;
    const toController = bareKafka({ brokers: [controller], ssl: { ca: [ca()] } }).admin();
    await expect(
      toController.connect().then(() => toController.createTopics({ topics: [{ topic: 'intruder' }] })),
      'create a topic through the controller listener',
    ).rejects.toThrow();
    await toController.disconnect().catch(() => {});
    for (const [what, kafka] of attempts) {
      const producer = kafka.producer();
      const sent = producer
        .connect()
        .then(() => producer.send({ topic: 'ml.inference.v1', messages: [{ key: 'k', value: '{}' }] }));
      await expect(sent, `produce with ${what}`).rejects.toThrow();
      await producer.disconnect().catch(() => {});
      const consumer = kafka.consumer({ groupId: `intruder-${what.replace(/\W+/g, '-')}` });
      const subscribed = consumer
        .connect()
        .then(() => consumer.subscribe({ topics: ['ml.inference.v1'], fromBeginning: true }));
      await expect(subscribed, `consume with ${what}`).rejects.toThrow();
      await consumer.disconnect().catch(() => {});
    }
  });

  it('shouldRefuseClickHouseQueriesBeyondEachUsersRights', async () => {
    const db = pipeline.DRIFTLINE_CLICKHOUSE_DATABASE!;
    expect(await chError(clickhouse(), 'SELECT 1')).toMatch(/Password required for user default/);
    expect(await chError(clickhouse('driftline', 'wrong'), 'SELECT 1')).toMatch(/Wrong password/);
    expect(
      await chError(
        clickhouse(reader.DRIFTLINE_CLICKHOUSE_USER, reader.DRIFTLINE_CLICKHOUSE_PASSWORD),
        `INSERT INTO ${db}.ground_truth (prediction_id) VALUES ('forged')`,
      ),
    ).toMatch(/readonly mode/);
    expect(
      await chError(
        clickhouse(reader.DRIFTLINE_CLICKHOUSE_USER, reader.DRIFTLINE_CLICKHOUSE_PASSWORD),
        `DROP TABLE ${db}.ground_truth`,
      ),
    ).toMatch(/readonly mode/);
    expect(
      await chError(
        clickhouse(pipeline.DRIFTLINE_CLICKHOUSE_USER, pipeline.DRIFTLINE_CLICKHOUSE_PASSWORD),
        'CREATE DATABASE intruder',
      ),
    ).toMatch(/Access denied to database intruder/);
  });

  it('shouldRefuseRegistryCallsWithoutCredentials', async () => {
    const good = `driftline:${pipeline.DRIFTLINE_SCHEMA_REGISTRY_PASSWORD}`;
    expect(await registryStatus('GET', '/subjects')).toBe(401);
    expect(await registryStatus('GET', '/schemas/ids/1')).toBe(401);
    expect(await registryStatus('POST', '/subjects/intruder-value/versions')).toBe(401);
    expect(await registryStatus('GET', '/subjects', 'driftline:wrong')).toBe(401);
    expect(await registryStatus('GET', '/subjects', good)).toBe(200);
  });

  it('shouldKeepEverySecretOutOfTheLogs', () => {
    const logs = services.map((s) => s.logs());
    const logDir = path.join(dataDir, 'logs');
    for (const file of readdirSync(logDir)) logs.push(readFileSync(path.join(logDir, file), 'utf8'));
    expect(secrets.length).toBeGreaterThanOrEqual(7);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(32);
      for (const text of logs) expect(text.includes(secret)).toBe(false);
    }
    // The start-up line shows the settings, with the passwords masked.
    for (const s of services) expect(s.logs()).toMatch(/"kafkaPassword":"\*\*\*"/);
  });
});
