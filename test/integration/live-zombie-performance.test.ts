import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, loadSettings } from '../../services/core/src/config/load.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import { resolveProcessorOptions } from '../../services/performance-monitor/src/options.ts';
import { PerformanceProcessor } from '../../services/performance-monitor/src/processor.ts';
import { PERFORMANCE_SETTINGS } from '../../services/performance-monitor/src/settings.ts';
import { finalRows } from '../unit/performance-monitor/helpers.ts';
import { joinedStream, seeded } from '../unit/performance-monitor/stream.ts';
import { rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, lagOf, produce, testKafka } from './utils/kafka.ts';
import { isStopped } from './utils/pause.ts';
import { startServiceProcess, waitReady, type ServiceProcess } from './utils/service-process.ts';

// A live zombie performance monitor: paused inside a transaction (ClickHouse rows written, changelog and offsets
// sent, not committed) for longer than its session timeout, while the other instance takes its partitions;
// then resumed. Its commit must be refused and every stored figure must equal the figures of the stream.
const env = isolatedEnv({
  DRIFTLINE_PERF_WINDOWS: '5m,1h',
  DRIFTLINE_PERF_ALLOWED_LATENESS: '10m',
  DRIFTLINE_PERF_SEGMENT_TAGS: 'region',
  DRIFTLINE_PERF_ROLLING_N: '100',
  DRIFTLINE_PERF_ROLLING_EVERY: '50',
  // Small fetches: many batches, so the zombie pauses with more of them fetched.
  DRIFTLINE_PERF_FETCH_MAX_BYTES: '20000',
  DRIFTLINE_PERF_SESSION_TIMEOUT_MS: '6000',
});
env.DRIFTLINE_PERF_GROUP_ID = `perf-${env.DRIFTLINE_TOPIC_PREFIX}`;
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const options = resolveProcessorOptions(loadSettings(PERFORMANCE_SETTINGS, env), loadConfig(env));
const kafka = testKafka();
const ch = testClickHouse();
const T0 = Date.parse('2026-02-01T00:00:00Z');
const SEED = Number(process.env.DRIFTLINE_TEST_SEED ?? Math.floor(Math.random() * 1e9));
const running: ServiceProcess[] = [];

type Row = Record<string, string | number | null>;

async function stored(table: string, key: string[]): Promise<Map<string, Row>> {
  const all = await rows<Row>(ch, `SELECT * FROM ${db}.${table} FINAL`);
  return new Map(all.map((r) => [key.map((k) => String(r[k])).join('|'), r]));
}

function close(a: unknown, b: unknown): boolean {
  if (typeof a !== 'number' || typeof b !== 'number') return String(a) === String(b);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
}

async function send(records: JoinedPrediction[]): Promise<void> {
  const { encode } = await avroEncoder(topics.joined, 'JoinedPrediction');
  for (let i = 0; i < records.length; i += 250) {
    const chunk = records.slice(i, i + 250);
    await produce(
      kafka,
      topics.joined,
      await Promise.all(chunk.map(async (r) => ({ key: r.model_id, value: await encode(r) }))),
    );
  }
}

/** The group has settled with one member left: the paused instance was evicted and its partitions moved. */
async function oneMemberLeft(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await waitFor(
      'the heir alone in the group',
      async () => {
        const { groups } = await admin.describeGroups([env.DRIFTLINE_PERF_GROUP_ID!]);
        return `${groups[0]?.state}/${groups[0]?.members.length}`;
      },
      (s) => s === 'Stable/1',
      60_000,
    );
  } finally {
    await admin.disconnect();
  }
}

describe(`live zombie performance monitor (real Kafka, registry, ClickHouse; seed ${SEED})`, () => {
  afterAll(async () => {
    for (const p of running) {
      if (isStopped(p)) p.child.kill('SIGCONT');
      await p.stop('SIGKILL');
    }
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldKeepEveryFigureExactWhenAPausedInstanceWakesUpAfterItsPartitionsMoved', async () => {
    const first = startServiceProcess('performance-monitor', env); // creates topics and tables
    await waitReady(first);
    await first.stop();
    const random = seeded(SEED);
    // Six models (keys) spread over the three partitions, so each instance gets work.
    const records = joinedStream(6000, {
      startMs: T0,
      stepMs: 2000,
      maxDisorderMs: 15 * 60_000,
      classifiers: 5,
      regressor: true,
      seed: SEED,
    });
    const zombie = startServiceProcess('performance-monitor', {
      ...env,
      DRIFTLINE_CRASH_AT: 'after-produce-before-commit',
      DRIFTLINE_CRASH_AFTER: String(Math.floor(random() * 3)),
      DRIFTLINE_CRASH_SIGNAL: 'SIGSTOP',
    });
    const heir = startServiceProcess('performance-monitor', env);
    running.push(zombie, heir);
    await Promise.all([waitReady(zombie), waitReady(heir)]);
    // Smaller steps later on: on a loaded machine the zombie may first lose its membership (a missed
    // heartbeat) and need a rebalance and new records on its partitions before it reaches the pause point.
    let sent = 0;
    while (!isStopped(zombie)) {
      if (sent >= 4800) throw new Error(`the zombie never paused; logs:\n${zombie.logs().slice(-3000)}`);
      const step = sent < 3000 ? 300 : 150;
      await send(records.slice(sent, sent + step));
      sent += step;
      await new Promise((r) => setTimeout(r, 300));
    }
    await send(records.slice(sent, sent + 600));
    sent += 600;
    await oneMemberLeft();
    // The heir works on the zombie's partitions for a while, then the zombie wakes up in its transaction.
    await new Promise((r) => setTimeout(r, 2000));
    zombie.child.kill('SIGCONT');
    await send(records.slice(sent));
    await waitFor(
      'all consumed',
      () => lagOf(kafka, env.DRIFTLINE_PERF_GROUP_ID!, topics.joined),
      (n) => n === 0,
      180_000,
    );

    const p = new PerformanceProcessor(options);
    records.forEach((r) => p.process(r));
    const flush = p.flush(1, '1');
    const expected = finalRows([flush]);
    const metricKey = ['model_id', 'model_version', 'segment', 'window_size', 'window_id', 'metric'];
    const actual = await stored('performance_metrics', metricKey);
    expect(actual.size, `seed ${SEED}`).toBe(expected.size);
    const wrong: string[] = [];
    for (const [key, e] of expected) {
      const a = actual.get(key);
      for (const column of ['value', 'sample_count', 'is_final'] as const) {
        if (!a || !close(e[column], a[column] === null ? null : Number(a[column])))
          wrong.push(`${key} ${column}: ${e[column]} != ${a?.[column]}`);
      }
    }
    expect(wrong.slice(0, 10), `seed ${SEED}`).toEqual([]);
    const buckets = await stored('performance_buckets', [
      'model_id',
      'model_version',
      'segment',
      'bucket_start_ms',
    ]);
    expect(buckets.size).toBe(flush.bucketRows.length);
    for (const b of flush.bucketRows) {
      const a = buckets.get([b.model_id, b.model_version, b.segment, b.bucket_start_ms].join('|'))!;
      expect([Number(a.sample_count), Number(a.correct_count)]).toEqual([b.sample_count, b.correct_count]);
    }
    // The zombie's paused transaction was aborted by the heir's fence: its late commit was refused.
    expect(zombie.logs()).toMatch(/old epoch[^\n]*batch not committed/);
  }, 600_000);
});
