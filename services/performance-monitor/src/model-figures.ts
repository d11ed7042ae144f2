import type { WindowFigure } from '../../core/src/metrics/model-metrics.ts';
import type { MetricRow } from './rows.ts';

/**
 * The rows of a flush as per-model Prometheus figures: tumbling windows of all traffic only (segments and the
 * rolling `last_N` series stay in ClickHouse, so the series count does not grow with tag values). Pure.
 */
export function windowFiguresOf(rows: readonly MetricRow[]): WindowFigure[] {
  return rows
    .filter((r) => r.segment === '' && !r.window_size.startsWith('last_'))
    .map((r) => ({
      modelId: r.model_id,
      modelVersion: r.model_version,
      window: r.window_size,
      startMs: r.window_start_ms,
      metric: r.metric,
      value: r.value,
      samples: r.sample_count,
    }));
}
