import { describe, expect, it } from 'vitest';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import {
  PerformanceProcessor,
  type FlushResult,
} from '../../../services/performance-monitor/src/processor.ts';
import type { BucketRow, MetricRow } from '../../../services/performance-monitor/src/rows.ts';
import type { ChangelogEntry } from '../../../services/performance-monitor/src/window-state-store.ts';
import { MIN, T0, cls, finalRows, options, reg, run } from './helpers.ts';

/** mulberry32: a reproducible stream. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLASSES = Array.from({ length: 4 }, (_, i) => `c${i}`);

/** Two classifier versions and a regressor, labels up to 15 minutes out of order (lateness is 10). */
function stream(n: number): JoinedPrediction[] {
  const random = seeded(7);
  return Array.from({ length: n }, (_, i) => {
    const at = T0 + i * 2000 - Math.floor(random() * 15 * MIN);
    const tags = { region: random() < 0.5 ? 'eu' : 'us' };
    if (i % 5 === 0) return reg(at, Math.floor(random() * 5), random() * 5, { model_id: 'r', tags });
    const truth = Math.floor(random() * CLASSES.length);
    const predicted = random() < 0.7 ? truth : Math.floor(random() * CLASSES.length);
    const raw = CLASSES.map((_, c) => random() + (c === predicted ? 3 : 0));
    const sum = raw.reduce((s, x) => s + x, 0);
    const scores = Object.fromEntries(CLASSES.map((c, k) => [c, (raw[k] ?? 0) / sum]));
    const version = random() < 0.5 ? 'v1' : 'v2';
    return cls(at, CLASSES[truth]!, CLASSES[predicted]!, { scores, tags, model_version: version });
  });
}

const o = options({
  segmentTags: ['region'],
  rollingSize: 50,
  rollingEvery: 25,
  baseline: { mode: 'first', windows: 2 },
  comparisons: { mode: 'auto' },
});

/** Runs the stream in batches and "crashes" every `crashEvery` batches: the batch after the last commit is
 * processed, thrown away, and the processor is rebuilt from the changelog records committed so far. */
function runWithCrashes(records: JoinedPrediction[], batch: number, crashEvery: number): FlushResult[] {
  const changelog: ChangelogEntry[] = [];
  const flushes: FlushResult[] = [];
  let p = new PerformanceProcessor(o);
  for (let i = 0, k = 0; i < records.length; i += batch, k++) {
    const slice = records.slice(i, i + batch);
    if (k % crashEvery === crashEvery - 1) {
      slice.forEach((r) => p.process(r)); // processed, never committed: lost with the process
      p = new PerformanceProcessor(o);
      changelog.forEach((e) => p.restore(e));
      expect(p.nextOffset).toBe(String(i));
    }
    slice.forEach((r) => p.process(r));
    const f = p.flush(i + slice.length, String(i + slice.length));
    changelog.push(...f.changelog);
    flushes.push(f);
  }
  return flushes;
}

function latestBuckets(flushes: FlushResult[]): Map<string, BucketRow> {
  const out = new Map<string, BucketRow>();
  for (const b of flushes.flatMap((f) => f.bucketRows)) {
    const key = [b.model_id, b.model_version, b.segment, b.bucket_start_ms].join('|');
    if ((out.get(key)?.revision ?? -1) <= b.revision) out.set(key, b);
  }
  return out;
}

function expectSameFigures(a: Map<string, MetricRow>, b: Map<string, MetricRow>): void {
  expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
  for (const [key, x] of a) {
    const y = b.get(key)!;
    expect([y.sample_count, y.is_final, y.window_start, y.window_end], key).toEqual([
      x.sample_count,
      x.is_final,
      x.window_start,
      x.window_end,
    ]);
    expect(Math.abs(y.value - x.value), key).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x.value)));
    expect(y.baseline === null, key).toBe(x.baseline === null);
  }
}

describe('PerformanceProcessor: replay and restore', { timeout: 60_000 }, () => {
  const records = stream(1500);

  it('shouldGiveTheSameFiguresWhateverTheBatchSize', () => {
    const whole = finalRows(run(records, o).flushes);
    expect(whole.size).toBeGreaterThan(1000);
    expectSameFigures(whole, finalRows(run(records, o, 50).flushes));
  });

  it('shouldGiveTheSameFiguresWhenCrashedBatchesAreRestoredFromTheChangelogAndReplayed', () => {
    const reference = run(records, o, 100).flushes;
    const crashed = runWithCrashes(records, 100, 3);
    expectSameFigures(finalRows(reference), finalRows(crashed));
    const comparisons = (fs: FlushResult[]) => fs.flatMap((f) => f.comparisonRows).length;
    expect(comparisons(crashed)).toBeGreaterThan(0);
    expect(comparisons(reference)).toBeGreaterThan(0);
  });

  it('shouldMakeTheBucketRollupEqualTheWindowRows', () => {
    const { flushes } = run(records, o, 100);
    const windows = finalRows(flushes);
    const buckets = [...latestBuckets(flushes).values()].filter((b) => b.segment === 'region=eu');
    let checked = 0;
    for (const w of windows.values()) {
      if (w.segment !== 'region=eu' || w.window_size !== '5m') continue;
      const inside = buckets.filter(
        (b) =>
          b.model_id === w.model_id &&
          b.model_version === w.model_version &&
          b.bucket_start_ms >= w.window_start_ms &&
          b.bucket_start_ms < w.window_end_ms,
      );
      const n = inside.reduce((s, b) => s + b.sample_count, 0);
      if (w.metric === 'count') expect(n).toBe(w.value);
      if (w.metric === 'accuracy') expect(inside.reduce((s, b) => s + b.correct_count, 0) / n).toBe(w.value);
      if (w.metric === 'mae') {
        expect(inside.reduce((s, b) => s + b.abs_error_sum, 0) / n).toBeCloseTo(w.value, 9);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});
