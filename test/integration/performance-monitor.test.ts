import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadSettings } from '../../services/core/src/config/load.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import { resolveProcessorOptions } from '../../services/performance-monitor/src/options.ts';
import { PerformanceProcessor } from '../../services/performance-monitor/src/processor.ts';
import { PERFORMANCE_SETTINGS } from '../../services/performance-monitor/src/settings.ts';
import { finalRows } from '../unit/performance-monitor/helpers.ts';
import { joinedStream } from '../unit/performance-monitor/stream.ts';
import { rows, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, lagOf, produce, testKafka } from './utils/kafka.ts';
import { figure, storedRows } from './utils/performance-rows.ts';
import {
  scrapeMetrics,
  startServiceProcess,
  waitReady,
  type ServiceProcess,
} from './utils/service-process.ts';

const env = isolatedEnv({
  DRIFTLINE_PERF_WINDOWS: '5m,1h',
  DRIFTLINE_PERF_ALLOWED_LATENESS: '10m',
  DRIFTLINE_PERF_SEGMENT_TAGS: 'region',
  DRIFTLINE_PERF_ROLLING_N: '200',
  DRIFTLINE_PERF_ROLLING_EVERY: '100',
});
env.DRIFTLINE_PERF_GROUP_ID = `perf-${env.DRIFTLINE_TOPIC_PREFIX}`;
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const options = resolveProcessorOptions(loadSettings(PERFORMANCE_SETTINGS, env), loadConfig(env));
const kafka = testKafka();
const ch = testClickHouse();
const T0 = Date.parse('2026-01-01T00:00:00Z');
const MIN = 60_000;
let service: ServiceProcess;
let encode: (r: JoinedPrediction) => Promise<Buffer>;
const published: JoinedPrediction[] = [];

async function publish(records: JoinedPrediction[]): Promise<void> {
  published.push(...records);
  const messages = await Promise.all(records.map(async (r) => ({ key: r.model_id, value: await encode(r) })));
  await produce(kafka, topics.joined, messages);
}

/** Until the service has committed every offset of the joined topic. */
async function waitConsumed(): Promise<void> {
  await waitFor(
    'the service to commit every joined offset',
    () => lagOf(kafka, env.DRIFTLINE_PERF_GROUP_ID!, topics.joined),
    (lag) => lag === 0,
    90_000,
  );
}

/** The rows the pure processor gives for everything published so far. */
function expectedRows() {
  const p = new PerformanceProcessor(options);
  published.forEach((r) => p.process(r));
  return finalRows([p.flush(1, '1')]);
}

function sql(name: string, params: Record<string, string>): string {
  const text = readFileSync(new URL('../../docs/queries/performance-rollup.sql', import.meta.url), 'utf8');
  const part = text.split(/;\s*\n/).find((q) => q.includes(`-- name: ${name}\n`));
  if (!part) throw new Error(`no query ${name}`);
  return Object.entries({ db, ...params }).reduce((q, [k, v]) => q.replaceAll(`{${k}}`, v), part);
}

const datetime = (ms: number) => `'${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}'`;
const HAND: [string, string][] = [
  ['a', 'a'],
  ['a', 'a'],
  ['a', 'a'],
  ['a', 'b'],
  ['b', 'b'],
  ['b', 'b'],
  ['c', 'b'],
  ['c', 'c'],
];
const known = (at: number, label: string, predicted: string, id: string): JoinedPrediction => ({
  prediction_id: id,
  model_id: 'known',
  model_version: 'v1',
  predicted_at: at,
  labeled_at: at + 1000,
  predicted_label: predicted,
  predicted_value: null,
  scores: null,
  label,
  tags: { region: 'eu' },
  correction: false,
});

describe('performance-monitor end to end (real Kafka, registry, ClickHouse)', () => {
  beforeAll(async () => {
    service = startServiceProcess('performance-monitor', env);
    await waitReady(service);
    encode = (await avroEncoder(topics.joined, 'JoinedPrediction')).encode as typeof encode;
  });
  afterAll(async () => {
    await service?.stop();
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldWriteExactlyTheExpectedRowsWhenAStreamWithKnownLabelsIsConsumed', async () => {
    await publish(HAND.map(([t, p], i) => known(T0 + i * 10_000, t, p, `hand-${i}`)));
    await publish(joinedStream(1200, { startMs: T0, stepMs: 3000, maxDisorderMs: 4 * MIN, regressor: true }));
    await waitConsumed();
    const stored = await storedRows(ch, db);
    const expected = expectedRows();
    expect(expected.size).toBeGreaterThan(2000);
    expect([...stored.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, e] of expected) {
      const s = stored.get(key)!;
      expect([Number(s.sample_count), s.is_final, s.baseline === null], key).toEqual([
        e.sample_count,
        e.is_final,
        e.baseline === null,
      ]);
      expect(Math.abs(figure(s) - e.value), key).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e.value)));
    }
    expect(stored.get(['known', 'v1', '', '5m', String(T0), 'accuracy'].join('|'))?.value).toBe(6 / 8);
    expect(stored.get(['known', 'v1', 'region=eu', '1h', String(T0), 'count'].join('|'))?.value).toBe(8);
    // The same figures as per-model Prometheus series (all traffic, the latest window of each size).
    const text = await scrapeMetrics(await service.port());
    const line = (name: string, ...labels: string[]) =>
      text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((x) => l.includes(x)));
    const pair = ['model_id="known"', 'model_version="v1"', 'window="1h"'];
    expect(line('driftline_model_performance', ...pair, 'metric="accuracy"')).toMatch(/\} 0\.75$/);
    expect(line('driftline_model_window_samples', ...pair)).toMatch(/\} 8$/);
  });

  it('shouldReplaceTheWindowRowWhenALabelArrivesAfterItsWindowEnded', async () => {
    const accuracy = `model_id = 'known' AND segment = '' AND window_size = '5m' AND window_id = ${T0} AND metric = 'accuracy'`;
    await publish([known(T0 + 8 * MIN, 'a', 'a', 'late-0')]); // stream time 8m: [0, 5m) ended, not closed
    await waitConsumed();
    await publish([known(T0 + 2 * MIN, 'c', 'c', 'late-1')]); // 2m ≥ 8m − 10m: accepted
    await waitConsumed();
    const [updated] = [...(await storedRows(ch, db, accuracy)).values()];
    expect(updated).toMatchObject({ value: 7 / 9, sample_count: '9', is_final: 0 });
    await publish([known(T0 + 30 * MIN, 'a', 'a', 'late-2')]); // closes [0, 5m): 30m − 10m ≥ 5m
    await waitConsumed();
    await publish([known(T0 + 3 * MIN, 'a', 'b', 'late-3')]); // 3m < 20m: dropped, counted
    await waitConsumed();
    const [closed] = [...(await storedRows(ch, db, accuracy)).values()];
    expect(closed).toMatchObject({ value: 7 / 9, sample_count: '9', is_final: 1 });
    const metrics = await scrapeMetrics(await service.port());
    expect(metrics).toMatch(/driftline_perf_late_dropped_total\{service="performance-monitor"\} 1\b/);
  });

  it('shouldMakeTheRollupQueryOverTheBucketTableEqualTheWindowRows', async () => {
    const stored = await storedRows(ch, db, `window_size = '5m' AND segment = 'region=eu'`);
    let compared = 0;
    for (const model of ['cls-0', 'reg']) {
      for (const start of [T0, T0 + 15 * MIN, T0 + 40 * MIN]) {
        const range = {
          model_id: `'${model}'`,
          segment: `'region=eu'`,
          from: datetime(start),
          to: datetime(start + 5 * MIN),
        };
        const figures = await rows<Record<string, number | string>>(ch, sql('accuracy_mae', range));
        for (const f of figures) {
          const key = (metric: string) =>
            [model, f.model_version, 'region=eu', '5m', String(start), metric].join('|');
          expect(Number(f.samples)).toBe(stored.get(key('count'))?.value);
          const metric = model === 'reg' ? 'mae' : 'accuracy';
          expect(Number(f[metric])).toBeCloseTo(figure(stored.get(key(metric))), 9);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(10);
  });

  it('shouldMakeThePerClassConfusionAndCalibrationRollupsEqualTheWindowRows', async () => {
    const stored = await storedRows(
      ch,
      db,
      `model_id = 'cls-1' AND window_size = '1h' AND segment = '' AND window_id = ${T0}`,
    );
    const key = (version: string, metric: string) =>
      ['cls-1', version, '', '1h', String(T0), metric].join('|');
    const range = { model_id: `'cls-1'`, segment: `''`, from: datetime(T0), to: datetime(T0 + 60 * MIN) };
    const perClass = await rows<Record<string, string | number>>(ch, sql('per_class', range));
    expect(perClass.length).toBeGreaterThan(10);
    for (const c of perClass) {
      for (const metric of ['precision', 'recall', 'f1'] as const) {
        expect(Number(c[metric]), `${c.class} ${metric}`).toBeCloseTo(
          figure(stored.get(key(String(c.model_version), `${metric}:${c.class}`))),
          12,
        );
      }
    }
    const cells = await rows<Record<string, string>>(ch, sql('confusion_matrix', range));
    for (const c of cells) {
      const metric = `confusion:${c.true_label}|${c.predicted_label}`;
      expect(Number(c.samples), metric).toBe(stored.get(key(c.model_version!, metric))?.value);
    }
    const calibration = await rows<Record<string, string | number>>(ch, sql('calibration', range));
    for (const c of calibration) {
      expect(Number(c.brier)).toBeCloseTo(figure(stored.get(key(String(c.model_version), 'brier'))), 9);
      expect(Number(c.ece)).toBeCloseTo(figure(stored.get(key(String(c.model_version), 'ece'))), 9);
    }
    expect(calibration.length).toBe(2);
  });

  it('shouldWriteTheVersionComparisonVerdictForEachWindow', async () => {
    const verdicts = await rows<{ verdict: string; candidate_version: string; baseline_count: string }>(
      ch,
      `SELECT verdict, candidate_version, baseline_count FROM ${db}.version_comparisons FINAL
       WHERE model_id = 'cls-0' AND segment = '' AND window_size = '1h' ORDER BY window_id`,
    );
    expect(verdicts.length).toBeGreaterThan(0);
    for (const v of verdicts)
      expect(['better', 'worse', 'no_difference', 'insufficient_data']).toContain(v.verdict);
  });
});
