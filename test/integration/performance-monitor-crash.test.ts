import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, loadSettings } from '../../services/core/src/config/load.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { CrashPointName } from '../../services/core/src/crash-point.ts';
import type { JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import { resolveProcessorOptions } from '../../services/performance-monitor/src/options.ts';
import { PerformanceProcessor } from '../../services/performance-monitor/src/processor.ts';
import { PERFORMANCE_SETTINGS } from '../../services/performance-monitor/src/settings.ts';
import { finalRows } from '../unit/performance-monitor/helpers.ts';
import { joinedStream, seeded } from '../unit/performance-monitor/stream.ts';
import { rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, lagOf, produce, testKafka } from './utils/kafka.ts';
import { startServiceProcess, waitReady } from './utils/service-process.ts';

const env = isolatedEnv({
  DRIFTLINE_PERF_WINDOWS: '5m,1h',
  DRIFTLINE_PERF_ALLOWED_LATENESS: '10m',
  DRIFTLINE_PERF_SEGMENT_TAGS: 'region',
  DRIFTLINE_PERF_ROLLING_N: '100',
  DRIFTLINE_PERF_ROLLING_EVERY: '50',
  // Small fetches: many batches, so every life of the service commits some and dies in another.
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

/** One life of the service: runs until the crash point kills it, or until everything is consumed. */
async function life(point: CrashPointName | undefined, after: number): Promise<string> {
  const extra: Record<string, string> = point
    ? { DRIFTLINE_CRASH_AT: point, DRIFTLINE_CRASH_AFTER: String(after) }
    : {};
  const service = startServiceProcess('performance-monitor', { ...env, ...extra });
  await service.port();
  const done = await Promise.race([
    service.exited.then(() => 'exited'),
    waitFor(
      'all consumed',
      () => lagOf(kafka, env.DRIFTLINE_PERF_GROUP_ID!, topics.joined),
      (n) => n === 0,
      150_000,
    ).then(() => 'consumed'),
  ]).catch(async (error: Error) => {
    await service.stop('SIGKILL');
    throw new Error(`${error.message}; ${point} after ${after}; logs:\n${service.logs().slice(-6000)}`);
  });
  if (done === 'consumed') await service.stop();
  if (done === 'exited' && service.child.signalCode !== 'SIGKILL') throw new Error(`died: ${service.logs()}`);
  return done === 'exited' ? `killed at ${point} after ${after}` : 'finished';
}

type Row = Record<string, string | number | null>;

async function stored(table: string, key: string[]): Promise<Map<string, Row>> {
  const all = await rows<Row>(ch, `SELECT * FROM ${db}.${table} FINAL`);
  return new Map(all.map((r) => [key.map((k) => String(r[k])).join('|'), r]));
}

function close(a: unknown, b: unknown): boolean {
  if (typeof a !== 'number' || typeof b !== 'number') return String(a) === String(b);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
}

describe('performance-monitor across SIGKILL and restarts', () => {
  afterAll(async () => {
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldKeepEveryFigureExactWhenKilledAtRandomPointsAndRestarted', { timeout: 600_000 }, async () => {
    const first = startServiceProcess('performance-monitor', env); // creates topics and tables
    await waitReady(first);
    await first.stop();
    const records: JoinedPrediction[] = joinedStream(3000, {
      startMs: T0,
      stepMs: 2000,
      maxDisorderMs: 15 * 60_000,
      regressor: true,
      seed: SEED,
    });
    const { encode } = await avroEncoder(topics.joined, 'JoinedPrediction');
    for (let i = 0; i < records.length; i += 500) {
      const chunk = records.slice(i, i + 500);
      await produce(
        kafka,
        topics.joined,
        await Promise.all(chunk.map(async (r) => ({ key: r.model_id, value: await encode(r) }))),
      );
    }
    const random = seeded(SEED);
    const points: CrashPointName[] = [
      'mid-batch',
      'after-effect-before-commit',
      'after-produce-before-commit',
    ];
    const story: string[] = [];
    for (const point of [...points, points[Math.floor(random() * 3)]!]) {
      story.push(await life(point, Math.floor(random() * 3)));
    }
    story.push(await life(undefined, 0));
    console.log(`seed ${SEED}: ${story.join('; ')}`);
    expect(
      story.filter((s) => s.startsWith('killed')).length,
      `seed ${SEED}: ${story.join('; ')}`,
    ).toBeGreaterThanOrEqual(3);

    const p = new PerformanceProcessor(options);
    records.forEach((r) => p.process(r));
    const flush = p.flush(1, '1');
    const expected = finalRows([flush]);
    const metricKey = ['model_id', 'model_version', 'segment', 'window_size', 'window_id', 'metric'];
    const actual = await stored('performance_metrics', metricKey);
    expect(actual.size, `seed ${SEED}`).toBe(expected.size);
    for (const [key, e] of expected) {
      const a = actual.get(key);
      expect(a, `${key} (seed ${SEED})`).toBeDefined();
      for (const column of ['value', 'sample_count', 'baseline', 'delta', 'is_final'] as const) {
        expect(
          close(e[column], a![column] === null ? null : Number(a![column])),
          `${key} ${column} (seed ${SEED})`,
        ).toBe(true);
      }
    }
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
      expect(close(b.abs_error_sum, a.abs_error_sum)).toBe(true);
    }
    const comparisons = await stored('version_comparisons', [
      'model_id',
      'segment',
      'window_size',
      'window_id',
    ]);
    expect(comparisons.size).toBe(flush.comparisonRows.length);
    for (const c of flush.comparisonRows) {
      const a = comparisons.get([c.model_id, c.segment, c.window_size, c.window_id].join('|'))!;
      expect([a.verdict, Number(a.baseline_count), Number(a.candidate_count)]).toEqual([
        c.verdict,
        c.baseline_count,
        c.candidate_count,
      ]);
    }
  });
});
