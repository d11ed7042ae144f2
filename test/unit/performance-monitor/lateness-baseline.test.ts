import { describe, expect, it } from 'vitest';
import { PerformanceProcessor } from '../../../services/performance-monitor/src/processor.ts';
import { MIN, T0, cls, finalRows, options, reg, row, value } from './helpers.ts';

describe('PerformanceProcessor: late labels', () => {
  const o = options({ windows: [{ ms: 5 * MIN, name: '5m' }], allowedLatenessMs: 10 * MIN });

  it('shouldUpdateAnEndedWindowWhenALabelArrivesWithinTheAllowedLateness', () => {
    const p = new PerformanceProcessor(o);
    [cls(T0 + MIN, 'a', 'a'), cls(T0 + MIN, 'a', 'a')].forEach((r) => p.process(r));
    const first = p.flush(2, '2');
    p.process(cls(T0 + 8 * MIN, 'a', 'a')); // stream time 8m: [0, 5m) has ended but is not closed
    p.flush(3, '3');
    expect(p.process(cls(T0 + 2 * MIN, 'b', 'a')).outcome).toBe('accepted');
    const late = p.flush(4, '4');
    const rows = finalRows([first, late]);
    expect(row(rows, 'accuracy', T0)).toMatchObject({
      value: 2 / 3,
      sample_count: 3,
      revision: 4,
      is_final: 0,
    });
    expect(late.bucketRows.map((b) => [b.bucket_start_ms - T0, b.sample_count])).toEqual([[2 * MIN, 1]]);
  });

  it('shouldMarkTheWindowFinalAndForgetItWhenTheStreamTimePassesItsEndPlusLateness', () => {
    const p = new PerformanceProcessor(o);
    p.process(cls(T0 + MIN, 'a', 'a'));
    p.flush(1, '1');
    p.process(cls(T0 + 15 * MIN, 'a', 'b')); // 15m − 10m = 5m ≥ end of [0, 5m)
    const closing = p.flush(2, '2');
    const rows = finalRows([closing]);
    expect(row(rows, 'count', T0)).toMatchObject({ value: 1, is_final: 1, revision: 2 });
    const windowKey = JSON.stringify(['w', 'm', 'v1', '', 5 * MIN, T0]);
    const bucketKey = JSON.stringify(['b', 'm', 'v1', '', T0 + MIN]);
    expect(closing.changelog).toContainEqual({ key: windowKey, value: null });
    expect(closing.changelog).toContainEqual({ key: bucketKey, value: null });
    expect(p.stats()).toMatchObject({ windows: 1, buckets: 1 });
  });

  it('shouldDropAndCountALabelBeyondTheAllowedLateness', () => {
    const p = new PerformanceProcessor(o);
    p.process(cls(T0 + 20 * MIN, 'a', 'a'));
    p.flush(1, '1');
    expect(p.process(cls(T0 + 9 * MIN, 'a', 'a')).outcome).toBe('late'); // 9m < 20m − 10m
    expect(p.process(cls(T0 + 10 * MIN, 'a', 'a')).outcome).toBe('accepted'); // exactly at the threshold
    const rows = finalRows([p.flush(3, '3')]);
    expect(value(rows, 'count', T0 + 5 * MIN)).toBeUndefined();
    expect(value(rows, 'count', T0 + 10 * MIN)).toBe(1);
  });
});

describe('PerformanceProcessor: baseline and change against it', () => {
  it('shouldUseTheFirstCompleteWindowAsBaselineWhenModeIsFirst', () => {
    const o = options({
      windows: [{ ms: 5 * MIN, name: '5m' }],
      allowedLatenessMs: 0,
      baseline: { mode: 'first', windows: 1 },
    });
    const p = new PerformanceProcessor(o);
    [cls(T0, 'a', 'a'), cls(T0 + MIN, 'b', 'b')].forEach((r) => p.process(r));
    const f1 = p.flush(2, '2');
    expect(row(finalRows([f1]), 'accuracy', T0)?.baseline).toBeNull();
    [cls(T0 + 5 * MIN, 'a', 'a'), cls(T0 + 6 * MIN, 'a', 'b')].forEach((r) => p.process(r));
    const f2 = p.flush(4, '4');
    const rows = finalRows([f1, f2]);
    // [0, 5m) closed at stream time 6m and became the baseline; its own rows show none.
    expect(row(rows, 'accuracy', T0)).toMatchObject({ value: 1, baseline: null, delta: null, is_final: 1 });
    expect(row(rows, 'accuracy', T0 + 5 * MIN)).toMatchObject({ value: 0.5, baseline: 1, delta: -0.5 });
    expect(row(rows, 'count', T0 + 5 * MIN)?.baseline).toBeNull();
  });

  it('shouldUseTheReferencePeriodAsBaselineForEveryWindowSizeWhenModeIsPeriod', () => {
    const o = options({ allowedLatenessMs: 0, baseline: { mode: 'period', fromMs: T0, toMs: T0 + 2 * MIN } });
    const p = new PerformanceProcessor(o);
    const records = [
      cls(T0, 'a', 'a'),
      cls(T0 + 30_000, 'a', 'a'),
      cls(T0 + MIN, 'a', 'b'),
      cls(T0 + MIN + 1, 'a', 'a'),
      cls(T0 + 2 * MIN, 'a', 'b'),
      cls(T0 + 3 * MIN, 'a', 'b'),
    ];
    records.forEach((r) => p.process(r));
    const rows = finalRows([p.flush(6, '6')]);
    // Period [0, 2m): 3 of 4 right.
    for (const size of ['5m', '1h']) {
      expect(row(rows, 'accuracy', T0, { size })).toMatchObject({ value: 0.5, baseline: 0.75, delta: -0.25 });
    }
  });
});

describe('PerformanceProcessor: baseline of the first N labeled predictions', () => {
  const o = options({
    windows: [{ ms: 5 * MIN, name: '5m' }],
    allowedLatenessMs: 0,
    baseline: { mode: 'labels', count: 4 },
  });

  it('shouldCompareLaterWindowsWithTheFirstNLabelsWhenModeIsLabels', () => {
    const p = new PerformanceProcessor(o);
    // 4 labels, 3 right, spanning [0, 6m): windows [0, 5m) and [5m, 10m) hold baseline samples.
    [
      cls(T0, 'a', 'a'),
      cls(T0 + MIN, 'b', 'b'),
      cls(T0 + 2 * MIN, 'a', 'b'),
      cls(T0 + 6 * MIN, 'a', 'a'),
    ].forEach((r) => p.process(r));
    const f1 = p.flush(4, '4');
    [cls(T0 + 7 * MIN, 'a', 'b'), cls(T0 + 10 * MIN, 'a', 'a'), cls(T0 + 11 * MIN, 'b', 'a')].forEach((r) =>
      p.process(r),
    );
    const rows = finalRows([f1, p.flush(7, '7')]);
    expect(row(rows, 'accuracy', T0 + 5 * MIN)).toMatchObject({ value: 0.5, baseline: null });
    expect(row(rows, 'accuracy', T0 + 10 * MIN)).toMatchObject({
      value: 0.5,
      baseline: 0.75,
      delta: -0.25,
      figure_count: 2,
      baseline_count: 4,
    });
    const recall = row(rows, 'recall:a', T0 + 10 * MIN);
    expect(recall).toMatchObject({ value: 1, baseline: 2 / 3, figure_count: 1, baseline_count: 3 });
    expect(recall?.baseline_source).toBe(
      'first 4 labeled predictions (2026-01-01T00:00Z – 2026-01-01T00:06Z)',
    );
  });

  it('shouldCarryTheSpreadOfAbsoluteErrorsWhenTheModelIsARegressor', () => {
    const p = new PerformanceProcessor(options({ ...o, baseline: { mode: 'labels', count: 2 } }));
    [reg(T0, 0, 1), reg(T0 + MIN, 0, 3), reg(T0 + 10 * MIN, 0, 2), reg(T0 + 11 * MIN, 0, 6)].forEach((r) =>
      p.process(r),
    );
    const mae = row(finalRows([p.flush(4, '4')]), 'mae', T0 + 10 * MIN);
    expect(mae).toMatchObject({ value: 4, baseline: 2, figure_count: 2, baseline_count: 2 });
    expect(mae?.figure_sd).toBeCloseTo(Math.SQRT2 * 2, 12);
    expect(mae?.baseline_sd).toBeCloseTo(Math.SQRT2, 12);
  });

  it('shouldRestoreAnIncompleteBaselineAndFinishItWhenTheChangelogIsReplayed', () => {
    const p = new PerformanceProcessor(o);
    [cls(T0, 'a', 'a'), cls(T0 + MIN, 'a', 'b')].forEach((r) => p.process(r));
    const changelog = p.flush(2, '2').changelog;
    const q = new PerformanceProcessor(o);
    changelog.forEach((e) => q.restore(e));
    [cls(T0 + 2 * MIN, 'a', 'a'), cls(T0 + 3 * MIN, 'a', 'a'), cls(T0 + 10 * MIN, 'a', 'b')].forEach((r) =>
      q.process(r),
    );
    const rows = finalRows([q.flush(5, '5')]);
    expect(row(rows, 'accuracy', T0 + 10 * MIN)).toMatchObject({
      value: 0,
      baseline: 0.75,
      baseline_count: 4,
    });
  });
});
