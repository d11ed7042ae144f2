import { UNNAMED_JOINER_TASK, type JoinerTask } from '../../../services/core/src/serde/joiner-task-header.ts';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import type { ProcessorOptions } from '../../../services/performance-monitor/src/options.ts';
import type { MetricRow } from '../../../services/performance-monitor/src/rows.ts';
import {
  PerformanceProcessor,
  type FlushResult,
} from '../../../services/performance-monitor/src/processor.ts';

export const MIN = 60_000;
/** 2026-01-01T00:00:00Z: a round start for windows of any size up to a day. */
export const T0 = Date.parse('2026-01-01T00:00:00Z');

export function options(overrides: Partial<ProcessorOptions> = {}): ProcessorOptions {
  return {
    windows: [
      { ms: 5 * MIN, name: '5m' },
      { ms: 60 * MIN, name: '1h' },
    ],
    bucketMs: MIN,
    allowedLatenessMs: 10 * MIN,
    maxJoinerSkewMs: 6 * 60 * MIN,
    rollingSize: 0,
    rollingEvery: 0,
    segmentTags: [],
    baseline: { mode: 'off' },
    comparisons: { mode: 'off' },
    armTag: 'arm',
    compareTest: 'two_proportion_z',
    alpha: 0.05,
    compareMinSamples: 2,
    ...overrides,
  };
}

let next = 0;

/** A classifier's labeled prediction at `at` ms. */
export function cls(
  at: number,
  label: string,
  predicted: string,
  extra: Partial<JoinedPrediction> = {},
): JoinedPrediction {
  next += 1;
  return {
    prediction_id: `p${next}`,
    model_id: 'm',
    model_version: 'v1',
    predicted_at: at,
    labeled_at: at + 1000,
    predicted_label: predicted,
    predicted_value: null,
    scores: null,
    label,
    tags: null,
    correction: false,
    ...extra,
  };
}

/** A regressor's labeled prediction at `at` ms. */
export function reg(at: number, target: number, prediction: number, extra: Partial<JoinedPrediction> = {}) {
  return cls(at, '', '', { label: target, predicted_label: null, predicted_value: prediction, ...extra });
}

/**
 * Runs records through a processor in batches of `batch`, flushing after each; revision = records seen.
 * `taskOf` names the joiner task of each record (none: the header-less clock).
 */
export function run(
  records: readonly JoinedPrediction[],
  o: ProcessorOptions,
  batch = records.length,
  processor = new PerformanceProcessor(o),
  taskOf: (r: JoinedPrediction) => JoinerTask = () => UNNAMED_JOINER_TASK,
): { processor: PerformanceProcessor; flushes: FlushResult[] } {
  const flushes: FlushResult[] = [];
  for (let i = 0; i < records.length; i += batch) {
    for (const r of records.slice(i, i + batch)) processor.process(r, undefined, taskOf(r));
    const seen = Math.min(i + batch, records.length);
    flushes.push(processor.flush(seen, String(seen)));
  }
  return { processor, flushes };
}

/**
 * The latest row per identity over all flushes, as `SELECT ... FINAL` shows it: the highest revision wins.
 * Keyed `segment|size|window_id|version|metric`.
 */
export function finalRows(flushes: readonly FlushResult[]): Map<string, MetricRow> {
  const out = new Map<string, MetricRow>();
  for (const f of flushes) {
    for (const row of f.metricRows) {
      const key = [
        row.model_id,
        row.model_version,
        row.segment,
        row.window_size,
        row.window_id,
        row.metric,
      ].join('|');
      const prev = out.get(key);
      if (!prev || prev.revision <= row.revision) out.set(key, row);
    }
  }
  return out;
}

/** Value of one metric of one window in the latest rows. */
export function value(
  rows: Map<string, MetricRow>,
  metric: string,
  windowStart: number,
  o: { size?: string; version?: string; segment?: string; model?: string } = {},
): number | undefined {
  const key = [o.model ?? 'm', o.version ?? 'v1', o.segment ?? '', o.size ?? '5m', windowStart, metric].join(
    '|',
  );
  return rows.get(key)?.value;
}

export function row(
  rows: Map<string, MetricRow>,
  metric: string,
  windowStart: number,
  o: { size?: string; version?: string; segment?: string } = {},
): MetricRow | undefined {
  return rows.get(['m', o.version ?? 'v1', o.segment ?? '', o.size ?? '5m', windowStart, metric].join('|'));
}
