// Operations: every service's /healthz, /readyz and /metrics, graceful SIGTERM shutdown (offsets committed
// before exit: a restarted sink re-reads nothing), a clear start-up error when a server is missing, and a
// start-up that waits out the broker's metadata of a topic created a moment later instead of dying of it.
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/src/config/load.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { createKafka } from '../../services/core/src/kafka/client.ts';
import { createLogger } from '../../services/core/src/logger.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { countOrZero, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVICES = ['sink', 'label-joiner', 'performance-monitor', 'drift-monitor', 'alerter'];
const ch = testClickHouse();
const kafka = testKafka();
const databases: string[] = [];
const running: ServiceProcess[] = [];

/** A fresh topic prefix, database and state folder, so runs and files never share anything. */
function freshEnv(): Record<string, string> {
  const env = isolatedEnv({ DRIFTLINE_STATE_DIR: mkdtempSync(path.join(tmpdir(), 'driftline-ops-')) });
  databases.push(env.DRIFTLINE_CLICKHOUSE_DATABASE!);
  return env;
}

function start(service: string, env: Record<string, string>): ServiceProcess {
  const p = startServiceProcess(service, env);
  running.push(p);
  return p;
}

async function get(port: number, route: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${port}${route}`);
  return { status: r.status, body: await r.text() };
}

/** Sum of one counter over its label sets, read from the service's own /metrics. */
async function counter(port: number, name: string): Promise<number> {
  const { body } = await get(port, '/metrics');
  return [...body.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'gm'))].reduce(
    (s, m) => s + Number(m[1]),
    0,
  );
}

/** Resolves with the exit code, or null if the process is still running after `ms`. */
function exitWithin(p: ServiceProcess, ms: number): Promise<number | null> {
  return Promise.race([p.exited, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
}

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) await p.stop('SIGKILL');
  for (const db of databases) await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await ch.close();
});

describe.each(SERVICES)('%s: health, metrics and graceful shutdown', (service) => {
  const main = path.join(ROOT, 'services', service, 'src', 'main.ts');
  const exists = existsSync(main);
  if (!exists)
    console.warn(`operations: skipping ${service}: ${path.relative(ROOT, main)} does not exist yet`);

  it.skipIf(!exists)(`shouldServeHealthReadinessAndMetricsThenExitZeroOnSigtermWhenRunning`, async () => {
    const p = start(service, freshEnv());
    const port = await waitReady(p);
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect(await get(port, '/readyz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect((await get(port, '/nope')).status).toBe(404);
    const { status, body } = await get(port, '/metrics');
    expect(status).toBe(200);
    expect(body).toContain('# TYPE driftline_events_in_total counter');
    expect(body).toMatch(
      new RegExp(`^driftline_process_process_cpu_user_seconds_total\\{service="${service}"\\} `, 'm'),
    );
    expect(body).toMatch(
      new RegExp(`^driftline_process_nodejs_heap_size_used_bytes\\{service="${service}"\\} `, 'm'),
    );
    const started = Date.now();
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(p.logs()).toContain('"msg":"stopped"');
  });
});

describe('sink graceful shutdown', () => {
  it('shouldCommitBeforeExitSoThatARestartedSinkReReadsNothingWhenStoppedWithSigterm', async () => {
    const env = freshEnv();
    const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
    const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
    const first = start('sink', env);
    await waitReady(first);
    const pairs = take(
      600,
      classifierTraffic({
        modelId: 'ops',
        modelVersion: 'v1',
        startMs: Date.parse('2026-04-01T00:00:00Z'),
        idPrefix: 'ops',
      }),
    );
    await produce(
      kafka,
      topics.inference,
      pairs.map((p) => ({ key: p.inference.prediction_id, value: Buffer.from(JSON.stringify(p.inference)) })),
    );
    // Stop as soon as the rows are in ClickHouse: the offsets may still be uncommitted at that moment, and a
    // graceful shutdown must finish the batch and commit them before it exits.
    await waitFor(
      '600 rows',
      () => countOrZero(ch, `SELECT count() FROM ${db}.inference_log`),
      (n) => n >= 600,
    );
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = start('sink', env);
    const port = await waitReady(second);
    // One new event on every partition: once all three are in, the sink has fetched every partition from its
    // committed offset. Had an offset not been committed, the old events would have come again too.
    const markers = [0, 1, 2].map((partition) => {
      const e = { ...pairs[0]!.inference, prediction_id: `marker-${partition}` };
      return { partition, key: e.prediction_id, value: Buffer.from(JSON.stringify(e)) };
    });
    await produce(kafka, topics.inference, markers);
    await waitFor(
      'the 3 markers',
      () => counter(port, 'driftline_events_in_total'),
      (n) => n >= 3,
    );
    await new Promise((r) => setTimeout(r, 2000));
    expect(await counter(port, 'driftline_events_in_total')).toBe(3);
    expect(await counter(port, 'driftline_clickhouse_rows_total')).toBe(3);
    expect(await countOrZero(ch, `SELECT count() FROM ${db}.inference_log`)).toBe(603);
    expect(await second.stop('SIGTERM')).toBe(0);
  });
});

describe('start-up without ClickHouse', () => {
  it('shouldExitNonZeroNamingClickHouseAndItsUrlWhenNothingListensThere', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const p = start('sink', { ...freshEnv(), DRIFTLINE_CLICKHOUSE_URL: url });
    // Up and live while it retries, but not ready.
    const http = await p.port();
    expect((await get(http, '/healthz')).status).toBe(200);
    expect((await get(http, '/readyz')).status).toBe(503);
    const started = Date.now();
    const code = await exitWithin(p, 60_000);
    expect(code, `still running after 60 s; output:\n${p.logs()}`).not.toBeNull();
    expect(code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    const fatal = p
      .logs()
      .split('\n')
      .find((l) => l.includes('"level":60'));
    expect(fatal, p.logs()).toBeDefined();
    expect(fatal).toContain('cannot start sink');
    expect(fatal).toContain(`clickhouse: no answer at ${url}`);
  });
});

describe('start-up on a topic created a moment later', () => {
  it('shouldSubscribeOnceTheTopicExistsWhenTheBrokerDidNotKnowItYet', async () => {
    // What the alerter met on a brand-new stack: its consumer subscribed while the broker's metadata did not
    // hold the topic yet, and kafkajs gave up at once with "This server does not host this topic-partition".
    const env = freshEnv();
    const client = createKafka(loadConfig({ ...process.env, ...env }), 'ops', createLogger('ops', 'silent'));
    const topic = `${env.DRIFTLINE_TOPIC_PREFIX}internal.created-late`;
    const consumer = client.consumer({ groupId: `ops-late-${Date.now()}` });
    await consumer.connect();
    const subscribed = consumer.subscribe({ topics: [topic], fromBeginning: true }).then(
      () => 'subscribed',
      (error: Error) => `failed: ${error.message}`,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    try {
      expect(await subscribed).toBe('subscribed');
    } finally {
      await consumer.disconnect();
    }
  });
});

/** A loopback port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
