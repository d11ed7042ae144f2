import { RegressionState, type FigureSampling, type MetricValue } from '../../core/src/performance/index.ts';
import type { PerformanceMetricRow } from '../../core/src/tables/performance-metrics.ts';
import type { BaselineView } from './baseline.ts';
import type { ClassificationBucket } from './classification-bucket.ts';

/**
 * Rows for ClickHouse. Every row carries the FULL figure of its window or bucket (never a delta) and a
 * deterministic identity, so a replay after a crash rewrites the same rows; `revision` (the source offset the
 * state has consumed up to) makes ReplacingMergeTree keep the newest.
 */

/** Which window a row belongs to. */
export interface WindowIdentity {
  modelId: string;
  version: string;
  segment: string;
  /** `5m`, `1h`, ... or `last_1000` for the rolling window. */
  windowSize: string;
  /** Tumbling: window start in ms. Rolling: the number of labeled predictions seen at the emission. */
  windowId: number;
  startMs: number;
  endMs: number;
  final: boolean;
}

/** One row of `performance_metrics` as written (core/tables/performance-metrics.ts). DateTime columns are epoch seconds. */
export type MetricRow = PerformanceMetricRow;

/** The window's sample count and how each testable figure of it was sampled. */
export interface WindowSampling {
  count: number;
  sampling?: ReadonlyMap<string, FigureSampling>;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * The rows of one window emission; figures without a finite value are left out. A figure in `gone` (the
 * window had it, a label correction took it away) is written with value NaN and no baseline, so the stale
 * figure does not survive in `FINAL`. Pure.
 */
export function metricRows(
  w: WindowIdentity,
  metrics: readonly MetricValue[],
  window: WindowSampling,
  baseline: BaselineView | undefined,
  revision: number,
  gone: readonly string[] = [],
): MetricRow[] {
  const row = (metric: string, value: number, base: number | undefined): MetricRow => ({
    model_id: w.modelId,
    model_version: w.version,
    segment: w.segment,
    window_size: w.windowSize,
    window_id: w.windowId,
    window_start: seconds(w.startMs),
    window_end: seconds(w.endMs),
    window_start_ms: w.startMs,
    window_end_ms: w.endMs,
    metric,
    value,
    sample_count: window.count,
    baseline: base ?? null,
    delta: base === undefined ? null : value - base,
    is_final: w.final ? 1 : 0,
    revision,
    ...samplingColumns(metric, window, base === undefined ? undefined : baseline),
  });
  const rows: MetricRow[] = [];
  for (const { metric, value } of metrics) {
    if (Number.isFinite(value)) rows.push(row(metric, value, baseline?.figures.get(metric)));
  }
  for (const metric of gone) rows.push(row(metric, Number.NaN, undefined));
  return rows;
}

function samplingColumns(metric: string, window: WindowSampling, baseline: BaselineView | undefined) {
  const own = window.sampling?.get(metric);
  const base = baseline?.sampling.get(metric);
  return {
    figure_count: own?.count ?? 0,
    figure_sd: own?.sd ?? null,
    baseline_count: base?.count ?? 0,
    baseline_sd: base?.sd ?? null,
    baseline_source: baseline?.source ?? '',
  };
}

/** One row of `performance_buckets`: the sums of one model version, segment and bucket. */
export interface BucketRow {
  model_id: string;
  model_version: string;
  segment: string;
  kind: string;
  bucket_start: number;
  bucket_start_ms: number;
  bucket_size_ms: number;
  sample_count: number;
  correct_count: number;
  labels: string[];
  confusion_true: string[];
  confusion_pred: string[];
  confusion_count: number[];
  scored_count: number;
  log_loss_sum: number;
  brier_sum: number;
  calibration_count: number[];
  calibration_confidence_sum: number[];
  calibration_correct: number[];
  error_sum: number;
  abs_error_sum: number;
  squared_error_sum: number;
  target_sum: number;
  target_squared_sum: number;
  pct_error_sum: number;
  pct_error_count: number;
  zero_targets: number;
  revision: number;
}

export interface BucketIdentity {
  modelId: string;
  version: string;
  segment: string;
  startMs: number;
  sizeMs: number;
}

/** The bucket row of a classifier's or regressor's bucket. Pure. */
export function bucketRow(
  b: BucketIdentity,
  bucket: ClassificationBucket | RegressionState,
  revision: number,
): BucketRow {
  const row: BucketRow = {
    model_id: b.modelId,
    model_version: b.version,
    segment: b.segment,
    kind: bucket instanceof RegressionState ? 'regression' : 'classification',
    bucket_start: seconds(b.startMs),
    bucket_start_ms: b.startMs,
    bucket_size_ms: b.sizeMs,
    ...EMPTY_SUMS,
    revision,
  };
  return bucket instanceof RegressionState
    ? { ...row, ...regressionSums(bucket) }
    : { ...row, ...classificationSums(bucket) };
}

const EMPTY_SUMS = {
  sample_count: 0,
  correct_count: 0,
  labels: [] as string[],
  confusion_true: [] as string[],
  confusion_pred: [] as string[],
  confusion_count: [] as number[],
  scored_count: 0,
  log_loss_sum: 0,
  brier_sum: 0,
  calibration_count: [] as number[],
  calibration_confidence_sum: [] as number[],
  calibration_correct: [] as number[],
  error_sum: 0,
  abs_error_sum: 0,
  squared_error_sum: 0,
  target_sum: 0,
  target_squared_sum: 0,
  pct_error_sum: 0,
  pct_error_count: 0,
  zero_targets: 0,
};

function classificationSums(b: ClassificationBucket): Partial<BucketRow> {
  const cells = b.cells();
  return {
    sample_count: b.count,
    correct_count: b.correct,
    labels: [...b.labels].sort(),
    confusion_true: cells.map((c) => c[0]),
    confusion_pred: cells.map((c) => c[1]),
    confusion_count: cells.map((c) => c[2]),
    scored_count: b.scoredCount,
    log_loss_sum: b.logLossSum,
    brier_sum: b.brierSum,
    calibration_count: Array.from(b.calibration.count),
    calibration_confidence_sum: Array.from(b.calibration.confidenceSum),
    calibration_correct: Array.from(b.calibration.correctCount),
  };
}

/** Plain sums from the state's moments: Σ|e| = n·mean, Σe² = M2 + n·mean², likewise for the target. */
function regressionSums(s: RegressionState): Partial<BucketRow> {
  const n = s.count;
  const abs = s.absoluteErrorMoments;
  const y = s.targetMoments;
  return {
    sample_count: n,
    error_sum: s.errorSum,
    abs_error_sum: n * abs.mean,
    squared_error_sum: abs.m2 + n * abs.mean * abs.mean,
    target_sum: n * y.mean,
    target_squared_sum: y.m2 + n * y.mean * y.mean,
    pct_error_sum: s.percentageErrorSum,
    pct_error_count: s.percentageErrorCount,
    zero_targets: s.zeroTargets,
  };
}
