import { describe, expect, it } from 'vitest';
import { performanceWindowsFromRows, type PerfRow } from '../../../services/alerter/src/perf-window-rows.ts';

const row = (metric: string, value: number, extra: Partial<PerfRow> = {}): PerfRow => ({
  model_id: 'm',
  model_version: 'v1',
  window_start_ms: '0',
  window_end_ms: '3600000',
  metric,
  value,
  baseline: 0.9,
  sample_count: '1000',
  is_final: 1,
  figure_count: '1000',
  figure_sd: null,
  baseline_count: '2000',
  baseline_sd: null,
  baseline_source: 'first 2000 labeled predictions',
  ...extra,
});

describe('performanceWindowsFromRows', () => {
  it('shouldGroupRowsIntoWindowsWithEachFiguresSampling', () => {
    const [w, ...rest] = performanceWindowsFromRows([
      row('accuracy', 0.8),
      row('recall:a', 0.7, { figure_count: '400', baseline_count: '900' }),
      row('mae', 1.2, { figure_sd: 0.5, baseline_sd: 0.4, baseline: 1 }),
    ]);
    expect(rest).toEqual([]);
    expect(w).toMatchObject({
      modelId: 'm',
      startMs: 0,
      endMs: 3_600_000,
      sampleCount: 1000,
      final: true,
      baselineSource: 'first 2000 labeled predictions',
    });
    expect(w!.metrics['recall:a']).toEqual({
      value: 0.7,
      baseline: 0.9,
      count: 400,
      sd: null,
      baselineCount: 900,
      baselineSd: null,
    });
    expect(w!.metrics.mae).toMatchObject({ sd: 0.5, baselineSd: 0.4, baseline: 1 });
  });

  it('shouldCallAWindowOpenWhenAnyOfItsRowsIsNotFinal', () => {
    const windows = performanceWindowsFromRows([row('accuracy', 0.8), row('count', 1000, { is_final: '0' })]);
    expect(windows.map((w) => w.final)).toEqual([false]);
  });

  it('shouldReadRowsWrittenBeforeTheSamplingColumnsAsUnknownCounts', () => {
    const old: PerfRow = { ...row('accuracy', 0.8) };
    for (const k of [
      'is_final',
      'figure_count',
      'figure_sd',
      'baseline_count',
      'baseline_sd',
      'baseline_source',
    ] as const)
      delete old[k];
    const [w] = performanceWindowsFromRows([old]);
    expect(w!.final).toBe(true);
    expect(w!.metrics.accuracy).toEqual({
      value: 0.8,
      baseline: 0.9,
      count: 0,
      sd: null,
      baselineCount: 0,
      baselineSd: null,
    });
  });
});
