import { Counter, Gauge, type Registry } from 'prom-client';
import { CLASSIFICATION_METRICS, REGRESSION_METRICS } from '../performance/metric-names.ts';
import { ModelLabelCap, type ModelLabels } from './model-label-cap.ts';
import { SeriesHistogram, type HistogramSeries } from './series-histogram.ts';

/**
 * Window figures exported as Prometheus gauges: the ones an SLO is written on. Per-class figures are left out
 * (one series per class would multiply the cardinality); ClickHouse's performance_metrics has them all.
 */
export const EXPORTED_FIGURES: ReadonlySet<string> = new Set([
  CLASSIFICATION_METRICS.accuracy,
  CLASSIFICATION_METRICS.f1Macro,
  CLASSIFICATION_METRICS.precisionMacro,
  CLASSIFICATION_METRICS.recallMacro,
  CLASSIFICATION_METRICS.rocAuc,
  CLASSIFICATION_METRICS.logLoss,
  REGRESSION_METRICS.mae,
  REGRESSION_METRICS.rmse,
  REGRESSION_METRICS.mape,
  REGRESSION_METRICS.r2,
]);

/** One figure of one event-time window of a model version (all traffic). */
export interface WindowFigure {
  modelId: string;
  modelVersion: string;
  /** The window size in its normal form (`1h`). */
  window: string;
  startMs: number;
  metric: string;
  value: number;
  samples: number;
}

/** What one inference event says about its model: the top class score, and the serving latency. */
export interface InferenceObservation {
  confidence?: number;
  latencyMs?: number;
}

const CONFIDENCE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Per-model Prometheus series, labelled by model_id and model_version, at most `maxPairs` pairs per process
 * (ModelLabelCap). Beyond the cap, histogram observations go to the `__other__` pair, gauges are not written
 * (a figure of a mix of models means nothing), and driftline_model_series_overflow_total counts both.
 * Gauges hold the latest window of each model version: a late correction of an older window leaves them be.
 */
export class ModelMetrics {
  private readonly cap: ModelLabelCap;
  private readonly latestStart = new Map<string, number>();
  private readonly performance: Gauge<'model_id' | 'model_version' | 'window' | 'metric'>;
  private readonly samples: Gauge<'model_id' | 'model_version' | 'window'>;
  private readonly driftShare: Gauge<'model_id' | 'model_version'>;
  private readonly driftedFeatures: Gauge<'model_id' | 'model_version'>;
  private readonly confidence: SeriesHistogram;
  private readonly latency: SeriesHistogram;
  /** The histogram series of each admitted pair, by model and version: two lookups per event, no label hashing. */
  private readonly admittedSeries = new Map<string, Map<string, PairSeries>>();
  private otherSeries: PairSeries | undefined;
  private readonly overflow: Counter;

  constructor(registry: Registry, maxPairs: number) {
    this.cap = new ModelLabelCap(maxPairs);
    const registers = [registry];
    const pair = ['model_id', 'model_version'] as const;
    this.performance = new Gauge({
      name: 'driftline_model_performance',
      help: "A figure (accuracy, f1_macro, mae, rmse, ...) of the model version's latest event-time window, all traffic, as the performance monitor last emitted it (open windows included: see driftline_model_window_samples).",
      labelNames: [...pair, 'window', 'metric'],
      registers,
    });
    this.samples = new Gauge({
      name: 'driftline_model_window_samples',
      help: "Labeled predictions in the model version's latest event-time window (all traffic).",
      labelNames: [...pair, 'window'],
      registers,
    });
    this.driftShare = new Gauge({
      name: 'driftline_model_drift_share',
      help: 'Share of the input features that drifted in the last closed drift window of the model version.',
      labelNames: pair,
      registers,
    });
    this.driftedFeatures = new Gauge({
      name: 'driftline_model_drifted_features',
      help: 'Input features that drifted in the last closed drift window of the model version.',
      labelNames: pair,
      registers,
    });
    this.confidence = new SeriesHistogram({
      name: 'driftline_model_prediction_confidence',
      help: "The predicted class's score (the largest of `scores`) of classifier predictions that carry scores.",
      buckets: CONFIDENCE_BUCKETS,
      registers,
    });
    this.latency = new SeriesHistogram({
      name: 'driftline_model_inference_latency_seconds',
      help: 'Serving latency the model server reported (latency_ms) per prediction.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.overflow = new Counter({
      name: 'driftline_model_series_overflow_total',
      help: 'Observations of model/version pairs beyond DRIFTLINE_METRICS_MAX_MODEL_VERSIONS, counted under model_id="__other__" (histograms) or not exported (gauges).',
      registers,
    });
  }

  /** Sets the gauges of each exported figure whose window is the latest seen for its model version. */
  windowFigures(figures: Iterable<WindowFigure>): void {
    for (const f of figures) {
      if (!EXPORTED_FIGURES.has(f.metric) || !Number.isFinite(f.value)) continue;
      const labels = this.admitted(f.modelId, f.modelVersion);
      if (!labels) continue;
      const key = `${f.modelId}\u0000${f.modelVersion}\u0000${f.window}`;
      if (f.startMs < (this.latestStart.get(key) ?? -Infinity)) continue;
      this.latestStart.set(key, f.startMs);
      this.performance.set({ ...labels, window: f.window, metric: f.metric }, f.value);
      this.samples.set({ ...labels, window: f.window }, f.samples);
    }
  }

  /** The verdict of a closed drift window. */
  drift(modelId: string, modelVersion: string, share: number, driftedCount: number): void {
    const labels = this.admitted(modelId, modelVersion);
    if (!labels) return;
    this.driftShare.set(labels, share);
    this.driftedFeatures.set(labels, driftedCount);
  }

  /** One inference event's confidence and latency, into the histograms. */
  inference(modelId: string, modelVersion: string, o: InferenceObservation): void {
    if (o.confidence === undefined && o.latencyMs === undefined) return;
    const series = this.seriesOf(modelId, modelVersion);
    if (series === this.otherSeries) this.overflow.inc();
    if (o.confidence !== undefined && Number.isFinite(o.confidence)) series.confidence.observe(o.confidence);
    if (o.latencyMs !== undefined && Number.isFinite(o.latencyMs) && o.latencyMs >= 0)
      series.latency.observe(o.latencyMs / 1000);
  }

  /** The pair's histogram series, or `__other__`'s beyond the cap (never kept per pair: those are unbounded). */
  private seriesOf(modelId: string, modelVersion: string): PairSeries {
    const known = this.admittedSeries.get(modelId)?.get(modelVersion);
    if (known) return known;
    const { overflow, ...labels } = this.cap.labels(modelId, modelVersion);
    if (overflow) return (this.otherSeries ??= this.pairSeries(labels));
    const series = this.pairSeries(labels);
    let versions = this.admittedSeries.get(modelId);
    if (!versions) this.admittedSeries.set(modelId, (versions = new Map()));
    versions.set(modelVersion, series);
    return series;
  }

  private pairSeries(labels: ModelLabels): PairSeries {
    return { confidence: this.confidence.series(labels), latency: this.latency.series(labels) };
  }

  private admitted(modelId: string, modelVersion: string): ModelLabels | undefined {
    const { overflow, ...labels } = this.cap.labels(modelId, modelVersion);
    if (!overflow) return labels;
    this.overflow.inc();
    return undefined;
  }
}

interface PairSeries {
  confidence: HistogramSeries;
  latency: HistogramSeries;
}

/** The largest finite class score of a classifier prediction, or undefined without one. Once per event. */
export function confidenceOf(scores: Record<string, number> | null | undefined): number | undefined {
  if (!scores) return undefined;
  let largest: number | undefined;
  for (const name in scores) {
    const score = scores[name]!;
    if (Number.isFinite(score) && (largest === undefined || score > largest)) largest = score;
  }
  return largest;
}
