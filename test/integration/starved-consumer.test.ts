import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { scalar, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, lagOf, produce, testKafka } from './utils/kafka.ts';
import { pausedItself } from './utils/pause.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

// A service starved of CPU (a long GC pause, an overloaded host, a frozen VM) for longer than its session
// timeout loses its group membership in the middle of a batch: the broker gives its partitions up and refuses
// the offsets it then commits. The sink, on core's committing consumer, is stopped (SIGSTOP) right after a
// batch's rows are written and before their offsets are committed, kept stopped for twice the session timeout,
// then resumed: it must treat the refused commit as an ordinary rebalance (rejoin, read the batch again, which
// row identity makes invisible), carry on with every count exact, and never exit.
const SESSION_TIMEOUT_MS = 6_000;
const env = isolatedEnv({ DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS: String(SESSION_TIMEOUT_MS) });
env.DRIFTLINE_SINK_GROUP_ID = `sink-${env.DRIFTLINE_TOPIC_PREFIX}`;
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const ch = testClickHouse();
const kafka = testKafka();
let sink: ServiceProcess | undefined;

async function send(prefix: string, n: number): Promise<void> {
  const pairs = take(
    n,
    classifierTraffic({
      modelId: 'm',
      modelVersion: 'v1',
      startMs: Date.parse('2026-03-01T00:00:00Z'),
      idPrefix: prefix,
    }),
  );
  const enc = await avroEncoder(topics.inference, 'InferenceEvent');
  const messages = await Promise.all(
    pairs.map(async (p) => ({ key: p.inference.prediction_id, value: await enc.encode(p.inference) })),
  );
  await produce(kafka, topics.inference, messages);
}

describe('a committing consumer starved of CPU past its session timeout (real Kafka, registry, ClickHouse)', () => {
  afterAll(async () => {
    await sink?.stop('SIGKILL');
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldRejoinAndKeepEveryCountExactWhenPausedBetweenTheWriteAndTheCommit', async () => {
    sink = startServiceProcess('sink', {
      ...env,
      DRIFTLINE_CRASH_AT: 'after-effect-before-commit',
      DRIFTLINE_CRASH_SIGNAL: 'SIGSTOP',
      DRIFTLINE_SINK_BATCH_SIZE: '500',
    });
    await waitReady(sink);
    await send('before', 3000);
    await pausedItself(sink);
    const written = await scalar(ch, `SELECT count() FROM ${db}.inference_log`);
    expect(written).toBeGreaterThan(0);
    // Stopped well past the session timeout: the broker has removed the member by the time it resumes.
    await new Promise((r) => setTimeout(r, 2 * SESSION_TIMEOUT_MS + 2_000));
    const logsBefore = sink.logs().length;
    sink.child.kill('SIGCONT');
    await send('after', 2000);

    await waitFor(
      'every event stored',
      () => scalar(ch, `SELECT count() FROM ${db}.inference_log FINAL`),
      (n) => n >= 5000,
      180_000,
    );
    await waitFor(
      'the offsets committed',
      () => lagOf(kafka, env.DRIFTLINE_SINK_GROUP_ID!, topics.inference),
      (n) => n === 0,
      120_000,
    );
    expect(await scalar(ch, `SELECT count() FROM ${db}.inference_log FINAL`)).toBe(5000);
    expect(await scalar(ch, `SELECT uniqExact(prediction_id) FROM ${db}.inference_log`)).toBe(5000);
    const after = sink.logs().slice(logsBefore);
    expect(sink.child.exitCode, after.slice(-3000)).toBeNull();
    expect(sink.child.signalCode).toBeNull();
    // It did lose its membership (else the test proved nothing) and took it as a rebalance.
    expect(after).toMatch(/rebalance|rejoin|not aware of this member|generation/i);
    expect(after).not.toMatch(/consumer crashed/);
    const ready = await fetch(`http://127.0.0.1:${await sink.port()}/readyz`);
    expect(ready.status).toBe(200);
  }, 600_000);
});
