import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, loadSettings } from '../../services/core/src/config/load.ts';
import { topicNames } from '../../services/core/src/config/topics.ts';
import type { JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import {
  encodePreviousLabel,
  PREVIOUS_LABEL_HEADER,
} from '../../services/core/src/serde/previous-label-header.ts';
import { resolveProcessorOptions } from '../../services/performance-monitor/src/options.ts';
import { PerformanceProcessor } from '../../services/performance-monitor/src/processor.ts';
import { PERFORMANCE_SETTINGS } from '../../services/performance-monitor/src/settings.ts';
import { finalRows } from '../unit/performance-monitor/helpers.ts';
import { joinedStream, seeded } from '../unit/performance-monitor/stream.ts';
import { testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, lagOf, produce, testKafka } from './utils/kafka.ts';
import { storedRows } from './utils/performance-rows.ts';
import {
  scrapeMetrics,
  startServiceProcess,
  waitReady,
  type ServiceProcess,
} from './utils/service-process.ts';

// No rolling window: its emissions made before a correction keep their figures (see the README).
const env = isolatedEnv({
  DRIFTLINE_PERF_WINDOWS: '5m,1h',
  DRIFTLINE_PERF_ALLOWED_LATENESS: '10m',
  DRIFTLINE_PERF_SEGMENT_TAGS: 'region',
  DRIFTLINE_PERF_ROLLING_N: '0',
});
env.DRIFTLINE_PERF_GROUP_ID = `perf-${env.DRIFTLINE_TOPIC_PREFIX}`;
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const options = resolveProcessorOptions(loadSettings(PERFORMANCE_SETTINGS, env), loadConfig(env));
const kafka = testKafka();
const ch = testClickHouse();
const T0 = Date.parse('2026-01-01T00:00:00Z');
let service: ServiceProcess;
let encode: (r: JoinedPrediction) => Promise<Buffer>;

/** A joined record as the label joiner writes it: keyed by model, a correction with its header. */
interface Published {
  record: JoinedPrediction;
  previous?: string | number;
}

async function publish(records: readonly Published[]): Promise<void> {
  const messages = await Promise.all(
    records.map(async ({ record, previous }) => ({
      key: record.model_id,
      value: await encode(record),
      headers:
        previous === undefined ? undefined : { [PREVIOUS_LABEL_HEADER]: encodePreviousLabel(previous) },
    })),
  );
  await produce(kafka, topics.joined, messages);
}

/**
 * The joiner's output with `last` wins for the final pairs `final`: about a third first carry a wrong label
 * and reach the final one through one or two corrections, up to 30 records later.
 */
function withCorrections(final: readonly JoinedPrediction[], seed: number): Published[] {
  const random = seeded(seed);
  const classes = [...new Set(final.flatMap((r) => (typeof r.label === 'string' ? [r.label] : [])))].sort();
  const wrong = (r: JoinedPrediction): string | number =>
    typeof r.label === 'number'
      ? r.label + 0.5 + Math.round(random() * 30) / 10
      : classes[(classes.indexOf(r.label) + 1 + Math.floor(random() * 3)) % classes.length]!;
  const slots: Published[][] = final.map(() => []);
  final.forEach((r, i) => {
    if (random() >= 0.35) return void slots[i]!.push({ record: r });
    const labels = random() < 0.3 ? [wrong(r), wrong(r), r.label] : [wrong(r), r.label];
    slots[i]!.push({ record: { ...r, label: labels[0]! } });
    let at = i;
    for (let k = 1; k < labels.length; k++) {
      at = Math.min(final.length - 1, at + 1 + Math.floor(random() * 30));
      const correction = { ...r, label: labels[k]!, correction: true, labeled_at: r.labeled_at + k * 1000 };
      slots[at]!.push({ record: correction, previous: labels[k - 1]! });
    }
  });
  return slots.flat();
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

/** The rows the pure processor gives for the final pairs alone, as if each first label had been the last. */
function expectedRows(final: readonly JoinedPrediction[]) {
  const p = new PerformanceProcessor(options);
  final.forEach((r) => p.process(r));
  return finalRows([p.flush(1, '1')]);
}

const pair = (id: string, at: number, label: string, predicted: string): JoinedPrediction => ({
  prediction_id: id,
  model_id: 'hand',
  model_version: 'v1',
  predicted_at: at,
  labeled_at: at + 1000,
  predicted_label: predicted,
  predicted_value: null,
  scores: { a: 0.7, b: 0.3 },
  label,
  tags: { region: 'eu' },
  correction: false,
});

describe('performance-monitor applies label corrections (real Kafka, registry, ClickHouse)', () => {
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

  it('shouldWriteTheFiguresOfTheFinalLabelsWhenCorrectionsWithThePreviousLabelHeaderArrive', async () => {
    const hand = [
      pair('h0', T0, 'a', 'a'),
      pair('h1', T0 + 10_000, 'b', 'a'),
      pair('h2', T0 + 20_000, 'a', 'a'),
    ];
    const stream = joinedStream(900, { startMs: T0, stepMs: 3000, maxDisorderMs: 60_000, regressor: true });
    const final = [...hand, ...stream];
    // h1's label b becomes a: class b leaves the hand model's window entirely.
    const published: Published[] = [
      ...hand.map((record) => ({
        record: { ...record, label: record.prediction_id === 'h1' ? 'b' : record.label },
      })),
      ...withCorrections(stream, 5),
      { record: { ...hand[1]!, label: 'a', correction: true }, previous: 'b' },
    ];
    final[1] = { ...hand[1]!, label: 'a' };
    const corrections = published.filter((p) => p.record.correction).length;
    expect(corrections).toBeGreaterThan(250);
    // h1's correction goes last and alone: its window's rows with class b are then in ClickHouse before it, and
    // must be overwritten, whatever records one fetch happens to bring together.
    await publish(published.slice(0, -1));
    await waitConsumed();
    await publish(published.slice(-1));
    await waitConsumed();

    const stored = await storedRows(ch, db);
    const expected = expectedRows(final);
    expect(expected.size).toBeGreaterThan(2000);
    const gone = [...stored].filter(([, r]) => r.value === null).map(([key]) => key);
    for (const key of gone) expect(expected.has(key), key).toBe(false);
    const live = [...stored.keys()].filter((key) => stored.get(key)!.value !== null);
    expect(live.sort()).toEqual([...expected.keys()].sort());
    const wrong: string[] = [];
    for (const [key, e] of expected) {
      const s = stored.get(key)!;
      const same =
        Number(s.sample_count) === e.sample_count &&
        s.is_final === e.is_final &&
        (s.baseline === null) === (e.baseline === null) &&
        Math.abs(s.value! - e.value) <= 1e-9 * Math.max(1, Math.abs(e.value));
      if (!same) wrong.push(`${key}: ${JSON.stringify(s)} vs ${e.value}/${e.sample_count}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);

    const hand5m = (metric: string) =>
      stored.get(['hand', 'v1', '', '5m', String(T0), metric].join('|'))?.value;
    expect(hand5m('accuracy')).toBe(1);
    expect(hand5m('confusion:a|a')).toBe(3);
    expect(hand5m('support:b')).toBeNull(); // NaN: class b is gone from the window
    expect(hand5m('confusion:b|a')).toBeNull();

    const metrics = await scrapeMetrics(await service.port());
    const counted = new RegExp(
      `driftline_perf_records_total\\{[^}]*outcome="corrected"[^}]*\\} ${corrections}\\b`,
    );
    expect(metrics).toMatch(counted);
  });

  it('shouldSkipAndCountACorrectionWithoutThePreviousLabelHeader', async () => {
    const r = pair('nh0', T0 + 2 * 60_000, 'a', 'a');
    await publish([
      { record: { ...r, model_id: 'nohdr' } },
      { record: { ...r, model_id: 'nohdr', label: 'b', correction: true } },
    ]);
    await waitConsumed();
    const stored = await storedRows(ch, db, `model_id = 'nohdr' AND segment = '' AND window_size = '5m'`);
    expect(stored.get(['nohdr', 'v1', '', '5m', String(T0), 'accuracy'].join('|'))?.value).toBe(1);
    const metrics = await scrapeMetrics(await service.port());
    expect(metrics).toMatch(/driftline_perf_records_total\{[^}]*outcome="correction"[^}]*\} 1\b/);
  });
});
