import { describe, expect, it } from 'vitest';
import { windowFiguresOf } from '../../../services/performance-monitor/src/model-figures.ts';
import type { MetricRow } from '../../../services/performance-monitor/src/rows.ts';

function row(segment: string, windowSize: string, metric: string, value: number): MetricRow {
  return {
    model_id: 'fraud',
    model_version: 'v1',
    segment,
    window_size: windowSize,
    window_id: 7,
    window_start: 25_200,
    window_end: 28_800,
    window_start_ms: 25_200_000,
    window_end_ms: 28_800_000,
    metric,
    value,
    sample_count: 120,
    baseline: null,
    delta: null,
    is_final: 0,
    revision: 1,
    figure_count: 120,
    figure_sd: null,
    baseline_count: 0,
    baseline_sd: null,
    baseline_source: '',
  };
}

describe('windowFiguresOf', () => {
  it('shouldKeepAllTrafficTumblingWindowsOnlyWhenRowsIncludeSegmentsAndRollingSeries', () => {
    const figures = windowFiguresOf([
      row('', '1h', 'accuracy', 0.93),
      row('region=eu', '1h', 'accuracy', 0.5),
      row('', 'last_1000', 'accuracy', 0.7),
    ]);
    expect(figures).toEqual([
      {
        modelId: 'fraud',
        modelVersion: 'v1',
        window: '1h',
        startMs: 25_200_000,
        metric: 'accuracy',
        value: 0.93,
        samples: 120,
      },
    ]);
  });
});
