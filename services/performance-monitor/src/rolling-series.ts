import {
  RegressionState,
  regressionMetrics,
  RollingCountWindow,
  type MetricValue,
  type RollingCountWindowJson,
} from '../../core/src/performance/index.ts';
import type { Kind } from './kind-state.ts';

/** Figures of the last N labeled predictions at one emission point. */
export interface RollingSnapshot {
  /** Labeled predictions seen so far by this series: the emission's identity (`window_id`). */
  seq: number;
  count: number;
  /** Earliest and latest prediction time among the held samples. */
  fromMs: number;
  toMs: number;
  metrics: MetricValue[];
}

export interface RollingSeriesJson {
  kind: Kind;
  capacity: number;
  seq: number;
  /** Oldest first. */
  times: number[];
  window?: RollingCountWindowJson;
  targets?: number[];
  predictions?: number[];
}

/**
 * The last N labeled predictions of one series in arrival order, whatever their event time (so lateness does
 * not apply). Classifiers use the performance library's exact RollingCountWindow (confusion-based metrics
 * only: score sums cannot be reverted exactly); regressors keep the N (target, prediction) pairs and recompute
 * their metrics at each emission, oldest first, so the result never depends on batching.
 */
export class RollingSeries {
  seq = 0;
  private head = 0;
  private held = 0;
  private readonly times: Float64Array;
  private window: RollingCountWindow | undefined;
  private readonly targets: Float64Array | undefined;
  private readonly predictions: Float64Array | undefined;

  constructor(
    readonly kind: Kind,
    readonly capacity: number,
  ) {
    this.times = new Float64Array(capacity);
    if (kind === 'classification') this.window = new RollingCountWindow(capacity);
    else {
      this.targets = new Float64Array(capacity);
      this.predictions = new Float64Array(capacity);
    }
  }

  addClass(trueLabel: string, predictedLabel: string, at: number): void {
    this.window?.update(trueLabel, predictedLabel);
    this.push(at);
  }

  addValue(target: number, prediction: number, at: number): void {
    if (this.targets) this.targets[this.head] = target;
    if (this.predictions) this.predictions[this.head] = prediction;
    this.push(at);
  }

  /**
   * A label correction: the newest held sample with this prediction time, earlier label and prediction gets
   * the new label, in place (no new emission, no eviction). False when none is held any more: the correction
   * is then ignored here, since the rolling window only covers the last N labeled predictions.
   */
  correctClass(at: number, previousLabel: string, predictedLabel: string, label: string): boolean {
    const k = this.find(at, (_, j) => {
      const held = this.window?.sample(j);
      return held?.[0] === previousLabel && held[1] === predictedLabel;
    });
    if (k === undefined) return false;
    this.window?.relabel(k, label);
    return true;
  }

  /** As {@link correctClass}, for a regressor's target. */
  correctValue(at: number, previousTarget: number, prediction: number, target: number): boolean {
    const k = this.find(
      at,
      (s) => this.targets?.[s] === previousTarget && this.predictions?.[s] === prediction,
    );
    if (k === undefined || !this.targets) return false;
    this.targets[this.slots()[k] ?? 0] = target;
    return true;
  }

  /** Position (oldest first) of the newest held sample at `at` that `match`es (slot, position). */
  private find(at: number, match: (slot: number, k: number) => boolean): number | undefined {
    const slots = this.slots();
    for (let k = slots.length - 1; k >= 0; k--) {
      const s = slots[k] ?? 0;
      if (this.times[s] === at && match(s, k)) return k;
    }
    return undefined;
  }

  private push(at: number): void {
    this.times[this.head] = at;
    this.head = (this.head + 1) % this.capacity;
    if (this.held < this.capacity) this.held += 1;
    this.seq += 1;
  }

  /** Slots of the held samples, oldest first. */
  private slots(): number[] {
    const start = (this.head - this.held + this.capacity) % this.capacity;
    return Array.from({ length: this.held }, (_, k) => (start + k) % this.capacity);
  }

  snapshot(): RollingSnapshot {
    let fromMs = Infinity;
    let toMs = -Infinity;
    const slots = this.slots();
    for (const s of slots) {
      const t = this.times[s] ?? 0;
      if (t < fromMs) fromMs = t;
      if (t > toMs) toMs = t;
    }
    return { seq: this.seq, count: this.held, fromMs, toMs, metrics: this.metrics(slots) };
  }

  private metrics(slots: number[]): MetricValue[] {
    if (this.window) return this.window.metrics();
    const state = new RegressionState();
    for (const s of slots) state.update(this.targets?.[s] ?? 0, this.predictions?.[s] ?? 0);
    return regressionMetrics(state);
  }

  toJSON(): RollingSeriesJson {
    const slots = this.slots();
    const pick = (a: Float64Array | undefined) => (a ? slots.map((s) => a[s] ?? 0) : undefined);
    return {
      kind: this.kind,
      capacity: this.capacity,
      seq: this.seq,
      times: pick(this.times) ?? [],
      window: this.window?.toJSON(),
      targets: pick(this.targets),
      predictions: pick(this.predictions),
    };
  }

  static fromJSON(json: RollingSeriesJson): RollingSeries {
    const series = new RollingSeries(json.kind, json.capacity);
    json.times.forEach((t, i) => {
      series.times[i] = t;
      if (series.targets) series.targets[i] = json.targets?.[i] ?? 0;
      if (series.predictions) series.predictions[i] = json.predictions?.[i] ?? 0;
    });
    series.held = json.times.length;
    series.head = series.held % series.capacity;
    series.seq = json.seq;
    if (json.window) series.window = RollingCountWindow.fromJSON(json.window);
    return series;
  }
}
