import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEMO_ENV } from '../../services/cli/src/commands/demo.ts';
import { groupLag } from '../../services/cli/src/lag.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { Kafka, logLevel } from '../../services/core/src/kafka/client.ts';
import { createCodecs, registerSchemas } from '../../services/core/src/serde/codecs.ts';
import { SchemaRegistryClient } from '../../services/core/src/serde/schema-registry.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { demoTraffic } from '../../services/simulator/src/demo-scenario.ts';
import { publishLive, type ArrivalChunk } from '../../services/simulator/src/publish.ts';
import { randomServicePort } from '../integration/utils/ports.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The same event time for every run, so a faulty run and its fault-free twin are the same stream. */
const START_MS = Date.parse('2026-06-01T00:00:00Z');
const RUN_ID = 'faults';

/** One pipeline as `driftline up` starts it, on its own topics, database, groups, run folder and ports. */
export interface Pipeline {
  name: string;
  env: Record<string, string>;
  runDir: string;
}

export function newPipeline(name: string): Pipeline {
  const id = randomBytes(4).toString('hex');
  const prefix = `f${id}.`;
  const runDir = mkdtempSync(path.join(tmpdir(), `driftline-${name}-`));
  const env: Record<string, string> = {
    ...DEMO_ENV,
    DRIFTLINE_KAFKA_BROKERS: process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092',
    DRIFTLINE_SCHEMA_REGISTRY_URL:
      process.env.DRIFTLINE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    DRIFTLINE_CLICKHOUSE_URL: process.env.DRIFTLINE_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
    DRIFTLINE_TOPIC_PREFIX: prefix,
    DRIFTLINE_CLICKHOUSE_DATABASE: `faults_${id}`,
    DRIFTLINE_TOPIC_PARTITIONS: '3',
    DRIFTLINE_RUN_DIR: runDir,
    DRIFTLINE_DATA_DIR: process.env.DRIFTLINE_DATA_DIR ?? path.join(ROOT, '.infra-data'),
    DRIFTLINE_STATE_DIR: path.join(runDir, 'state'),
    DRIFTLINE_SERVICES_BASE_PORT: String(randomServicePort(5)),
    DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS: process.env.DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS ?? '10000',
    DRIFTLINE_LOG_LEVEL: 'info',
    DRIFTLINE_SINK_GROUP_ID: `${prefix}sink`,
    DRIFTLINE_JOINER_GROUP_ID: `${prefix}joiner`,
    DRIFTLINE_PERF_GROUP_ID: `${prefix}perf`,
    DRIFTLINE_DRIFT_GROUP_ID: `${prefix}drift`,
    DRIFTLINE_DRIFT_CONCEPT_GROUP_ID: `${prefix}concept`,
    DRIFTLINE_ESTIMATOR_GROUP_ID: `${prefix}estimator`,
    DRIFTLINE_ESTIMATOR_CALIBRATION_GROUP_ID: `${prefix}calibration`,
    DRIFTLINE_ALERTER_TRANSACTIONAL_ID: `${prefix}alerter`,
  };
  return { name, env, runDir };
}

export function cli(p: Pipeline, ...args: string[]): string {
  return execFileSync(path.join(ROOT, 'bin', 'driftline'), args, {
    cwd: ROOT,
    env: { ...process.env, ...p.env },
    encoding: 'utf8',
    timeout: 600_000,
  });
}

/** Reference profiles of both versions, as the demo builds them. */
export function buildReferences(p: Pipeline): void {
  const dir = path.join(p.runDir, 'reference');
  mkdirSync(dir, { recursive: true });
  for (const version of ['v1', 'v2']) {
    const file = path.join(dir, `churn-${version}.jsonl`);
    const events = take(
      3000,
      classifierTraffic({
        modelId: 'churn',
        modelVersion: version,
        startMs: 0,
        seed: 99,
        classes: ['stay', 'churn', 'upgrade'],
        idPrefix: 'ref',
      }),
    );
    writeFileSync(file, events.map((e) => JSON.stringify(e.inference)).join('\n'));
    cli(p, 'reference', 'build', '--model', 'churn', '--version', version, '--from', file);
  }
}

export function kafkaOf(p: Pipeline): Kafka {
  return new Kafka({
    clientId: `faults-${p.name}`,
    brokers: p.env.DRIFTLINE_KAFKA_BROKERS!.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 20 },
  });
}

/** Supervised services and their pids, from the supervisor's state file. */
export function supervisedPids(p: Pipeline): Record<string, number> {
  try {
    const state = JSON.parse(readFileSync(path.join(p.runDir, 'services', 'supervisor.json'), 'utf8')) as {
      services: { name: string; pid: number | null }[];
    };
    return Object.fromEntries(state.services.filter((s) => s.pid).map((s) => [s.name, s.pid!]));
  } catch {
    return {};
  }
}

/** Restarts per service as the supervisor counted them. */
export function restarts(p: Pipeline): Record<string, number> {
  try {
    const state = JSON.parse(readFileSync(path.join(p.runDir, 'services', 'supervisor.json'), 'utf8')) as {
      services: { name: string; restarts: number }[];
    };
    return Object.fromEntries(state.services.map((s) => [s.name, s.restarts]));
  } catch {
    return {};
  }
}

/**
 * The supervisor's log lines about exits it restarted a service after (`<service> <how it ended>: <last error>;
 * restart N in M ms`), without the SIGKILLs the suite itself sent.
 */
export function exits(p: Pipeline): string[] {
  try {
    return readFileSync(path.join(p.runDir, 'logs', 'supervisor.log'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('; restart ') && !line.includes('killed by SIGKILL'));
  } catch {
    return [];
  }
}

/** The demo's stream (two versions of a classifier and a regressor, delayed labels, a drift, a concept shift). */
export async function publishStream(
  p: Pipeline,
  perWindow: number,
  onChunk: (index: number, c: ArrivalChunk) => void | Promise<void>,
): Promise<{ predictions: number; labels: number }> {
  const topics = topicNames({ topicPrefix: p.env.DRIFTLINE_TOPIC_PREFIX! });
  const registry = new SchemaRegistryClient({ url: p.env.DRIFTLINE_SCHEMA_REGISTRY_URL! });
  const codecs = createCodecs(registry);
  await registerSchemas(registry, codecs, topics);
  const kafka = kafkaOf(p);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  let index = 0;
  try {
    return await publishLive(producer, codecs, topics, demoTraffic(START_MS, perWindow, RUN_ID).pairs, {
      labelShare: 0.9,
      chunkMs: 20_000,
      settle: () =>
        caughtUp(admin, p.env.DRIFTLINE_JOINER_GROUP_ID!, [topics.inference, topics.groundTruth], 20_000),
      onChunk: (c) => onChunk(index++, c),
    });
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}

async function caughtUp(
  admin: ReturnType<Kafka['admin']>,
  groupId: string,
  topics: string[],
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await groupLag(admin, groupId, topics)) === 0) return;
    } catch {
      // the broker may be restarting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
