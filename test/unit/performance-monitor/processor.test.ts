import { describe, expect, it } from 'vitest';
import { PerformanceProcessor } from '../../../services/performance-monitor/src/processor.ts';
import { MIN, T0, cls, finalRows, options, reg, row, run, value } from './helpers.ts';

/** Predicted class gets 0.6, the two others 0.2: p(true) is 0.6 when right, 0.2 when wrong. */
const scores = (predicted: string) =>
  Object.fromEntries(['a', 'b', 'c'].map((c) => [c, c === predicted ? 0.6 : 0.2]));

// (true, predicted): 6 of 8 right. Worked by hand below.
const PAIRS: [string, string][] = [
  ['a', 'a'],
  ['a', 'a'],
  ['a', 'a'],
  ['a', 'b'],
  ['b', 'b'],
  ['b', 'b'],
  ['c', 'b'],
  ['c', 'c'],
];
const stream = () => PAIRS.map(([t, p], i) => cls(T0 + i * 10_000, t, p, { scores: scores(p) }));

describe('PerformanceProcessor: classifier figures', () => {
  it('shouldEmitHandComputedFiguresWhenASmallKnownStreamIsProcessed', () => {
    const rows = finalRows(run(stream(), options()).flushes);
    const expected: Record<string, number> = {
      count: 8,
      scored_count: 8,
      accuracy: 6 / 8,
      'precision:a': 1,
      'recall:a': 3 / 4,
      'f1:a': 6 / 7,
      'precision:b': 2 / 4,
      'recall:b': 1,
      'f1:b': 2 / 3,
      'precision:c': 1,
      'recall:c': 1 / 2,
      'f1:c': 2 / 3,
      'support:a': 4,
      precision_macro: 2.5 / 3,
      recall_macro: 0.75,
      f1_macro: (6 / 7 + 2 / 3 + 2 / 3) / 3,
      precision_weighted: 7 / 8,
      recall_weighted: 0.75,
      log_loss: -(6 * Math.log(0.6) + 2 * Math.log(0.2)) / 8,
      // Three labels: Σ_c (p_c − y_c)² without ½; 0.24 when right, 1.04 when wrong.
      brier: (6 * 0.24 + 2 * 1.04) / 8,
      // Every top confidence is 0.6 (one bin): |6 correct − 4.8| / 8.
      ece: 0.15,
      'confusion:a|a': 3,
      'confusion:a|b': 1,
      'confusion:b|b': 2,
      'confusion:c|b': 1,
      'confusion:c|c': 1,
    };
    for (const size of ['5m', '1h']) {
      for (const [metric, v] of Object.entries(expected)) {
        expect(value(rows, metric, T0, { size }), `${size} ${metric}`).toBeCloseTo(v, 12);
      }
    }
    expect(row(rows, 'accuracy', T0)).toMatchObject({
      window_start: T0 / 1000,
      window_end: T0 / 1000 + 300,
      sample_count: 8,
      is_final: 0,
      baseline: null,
      delta: null,
    });
    expect(value(rows, 'confusion:b|a', T0)).toBeUndefined();
  });

  it('shouldWriteOneBucketRowPerMinuteWithConfusionCellsAndSums', () => {
    const { flushes } = run(stream(), options());
    const buckets = flushes[0]!.bucketRows;
    expect(buckets.map((b) => [b.bucket_start_ms - T0, b.sample_count, b.correct_count])).toEqual([
      [0, 6, 5],
      [MIN, 2, 1],
    ]);
    const first = buckets[0]!;
    expect(first.confusion_true).toEqual(['a', 'a', 'b']);
    expect(first.confusion_pred).toEqual(['a', 'b', 'b']);
    expect(first.confusion_count).toEqual([3, 1, 2]);
    expect(first.labels).toEqual(['a', 'b', 'c']);
    expect(first.log_loss_sum).toBeCloseTo(-(5 * Math.log(0.6) + Math.log(0.2)), 12);
  });

  it('shouldEmitRegressionFiguresWhenLabelsAreNumbers', () => {
    const records = [reg(T0, 2, 2.5), reg(T0 + 1000, 0, 1), reg(T0 + 2000, 4, 3), reg(T0 + 3000, 1, 1)];
    const rows = finalRows(run(records, options()).flushes);
    expect(value(rows, 'count', T0)).toBe(4);
    expect(value(rows, 'mae', T0)).toBeCloseTo(0.625, 12);
    expect(value(rows, 'rmse', T0)).toBeCloseTo(0.75, 12);
    expect(value(rows, 'mean_error', T0)).toBeCloseTo(0.125, 12);
    expect(value(rows, 'mape', T0)).toBeCloseTo((0.25 + 0.25 + 0) / 3, 12);
    expect(value(rows, 'mape_zero_targets', T0)).toBe(1);
    expect(value(rows, 'r2', T0)).toBeCloseTo(1 - 2.25 / 8.75, 12);
  });

  it('shouldKeepFiguresPerSegmentWhenSegmentTagsAreConfigured', () => {
    const records = [
      cls(T0, 'a', 'a', { tags: { region: 'eu' } }),
      cls(T0 + 1, 'a', 'b', { tags: { region: 'eu', arm: 'A' } }),
      cls(T0 + 2, 'b', 'b', { tags: { region: 'us' } }),
      cls(T0 + 3, 'b', 'b', { tags: null }),
    ];
    const rows = finalRows(run(records, options({ segmentTags: ['region'] })).flushes);
    expect(value(rows, 'count', T0)).toBe(4);
    expect(value(rows, 'count', T0, { segment: 'region=eu' })).toBe(2);
    expect(value(rows, 'accuracy', T0, { segment: 'region=eu' })).toBe(0.5);
    expect(value(rows, 'count', T0, { segment: 'region=us' })).toBe(1);
    expect([...rows.values()].some((r) => r.segment.startsWith('arm='))).toBe(false);
  });

  it('shouldSkipCorrectionsAndRejectInvalidRecordsWithoutChangingState', () => {
    const p = new PerformanceProcessor(options());
    expect(p.process(cls(T0, 'a', 'a')).outcome).toBe('accepted');
    expect(p.process(cls(T0, 'b', 'a', { correction: true })).outcome).toBe('correction');
    const noPrediction = p.process(cls(T0, 'a', 'a', { predicted_label: null }));
    expect(noPrediction).toEqual({
      outcome: 'invalid',
      detail: 'a class label needs predicted_label (classifier)',
    });
    expect(p.process(cls(T0, 'a', 'a', { scores: { a: 1.5 } })).outcome).toBe('invalid');
    const mismatch = p.process(reg(T0, 1, 2));
    expect(mismatch.outcome).toBe('invalid');
    expect(mismatch.detail).toContain('is a classification model');
    const rows = finalRows([p.flush(1, '1')]);
    expect(value(rows, 'count', T0)).toBe(1);
  });
});

describe('PerformanceProcessor: rolling window', () => {
  it('shouldEmitTheLastNLabeledPredictionsEveryKRecords', () => {
    const pairs: [string, string][] = [
      ['a', 'b'],
      ['a', 'a'],
      ['b', 'b'],
      ['b', 'a'],
      ['a', 'a'],
    ];
    const records = pairs.map(([t, p], i) => cls(T0 + i * MIN, t, p));
    const rows = finalRows(run(records, options({ rollingSize: 3, rollingEvery: 2 }), 1).flushes);
    const at = (seq: number, metric: string) => value(rows, metric, seq, { size: 'last_3' });
    expect(at(2, 'count')).toBe(2);
    expect(at(2, 'accuracy')).toBe(0.5);
    // Emission 4 holds records 2..4: (a,a) (b,b) (b,a).
    expect(at(4, 'count')).toBe(3);
    expect(at(4, 'accuracy')).toBeCloseTo(2 / 3, 12);
    expect(row(rows, 'count', 4, { size: 'last_3' })).toMatchObject({
      window_start_ms: T0 + MIN,
      window_end_ms: T0 + 3 * MIN,
      is_final: 1,
    });
    expect(at(3, 'count')).toBeUndefined();
  });
});
