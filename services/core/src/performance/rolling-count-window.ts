/**
 * Confusion counts over the last N labeled predictions (a count-based sliding window, as opposed to
 * the event-time windows of ClassificationState). A ring buffer keeps each sample's (true,
 * predicted) label indices, so evicting the oldest sample is an exact integer decrement: the counts
 * always equal a recomputation from the last N samples. Score-based metrics are not kept here (float
 * sums cannot be reverted exactly); use event-time windows of ClassificationState for them.
 */
import { ClassificationState } from './classification-state.ts';
import { classificationMetrics } from './classification-metrics.ts';
import type { ClassificationMetricsOptions } from './classification-metrics.ts';
import { InvalidOptionError, InvalidStateJsonError } from './errors.ts';
import { expectCount, expectIndexedCounts, expectLabels, expectRecord } from './json-guards.ts';
import type { MetricValue } from './metric-names.ts';

/** Plain-data snapshot: labels and the held samples, oldest first. */
export interface RollingCountWindowJson {
  readonly version: 1;
  readonly capacity: number;
  readonly labels: readonly string[];
  /** `[trueIndex, predictedIndex]` into `labels`, oldest first. */
  readonly samples: readonly (readonly [number, number])[];
}

/**
 * Accuracy, precision, recall and F1 over the last `capacity` labeled predictions.
 * @example
 * const w = new RollingCountWindow(2).update('a', 'a').update('a', 'b').update('b', 'b');
 * w.size; // 2 (the first sample was evicted)
 */
export class RollingCountWindow {
  private readonly trueIndex: Int32Array;
  private readonly predictedIndex: Int32Array;
  private head = 0;
  private held = 0;
  // One bin each: this state never sees scores, so score bins would only cost memory.
  private readonly state = new ClassificationState({ aucBins: 1, calibrationBins: 1 });

  /**
   * @param capacity - number of most recent samples kept
   * @throws {InvalidOptionError} when capacity is not a positive integer ≤ 100,000,000 (not retriable)
   */
  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1 || capacity > 100_000_000) {
      throw new InvalidOptionError('capacity', capacity, 'an integer in [1, 100000000]');
    }
    this.trueIndex = new Int32Array(capacity);
    this.predictedIndex = new Int32Array(capacity);
  }

  /** Number of samples held (at most `capacity`). */
  get size(): number {
    return this.held;
  }

  /** Adds a sample, evicting the oldest when full. */
  update(trueLabel: string, predictedLabel: string): this {
    if (this.held === this.capacity) {
      const labels = this.state.labels;
      const t = labels[this.trueIndex[this.head] ?? 0] ?? '';
      const p = labels[this.predictedIndex[this.head] ?? 0] ?? '';
      this.state.revert(t, p);
    } else {
      this.held += 1;
    }
    this.state.update(trueLabel, predictedLabel);
    this.trueIndex[this.head] = this.state.indexOfLabel(trueLabel) ?? 0;
    this.predictedIndex[this.head] = this.state.indexOfLabel(predictedLabel) ?? 0;
    this.head = (this.head + 1) % this.capacity;
    return this;
  }

  /** The (true, predicted) labels of the `k`-th held sample, oldest first; undefined outside [0, size). */
  sample(k: number): readonly [string, string] | undefined {
    if (!Number.isInteger(k) || k < 0 || k >= this.held) return undefined;
    const slot = this.slot(k);
    const labels = this.state.labels;
    return [labels[this.trueIndex[slot] ?? 0] ?? '', labels[this.predictedIndex[slot] ?? 0] ?? ''];
  }

  /**
   * Replaces the true label of the `k`-th held sample, oldest first (a label correction): the counts are
   * then those of the held samples with the new label, and the sample keeps its place in the eviction order.
   * @throws {RangeError} when `k` is outside [0, size)
   */
  relabel(k: number, trueLabel: string): this {
    const sample = this.sample(k);
    if (sample === undefined) throw new RangeError(`no held sample ${k} (size ${this.held})`);
    this.state.revert(sample[0], sample[1]).update(trueLabel, sample[1]);
    this.trueIndex[this.slot(k)] = this.state.indexOfLabel(trueLabel) ?? 0;
    return this;
  }

  private slot(k: number): number {
    return (this.head - this.held + k + 2 * this.capacity) % this.capacity;
  }

  /** A copy of the confusion state of the held samples (labels that left the window keep zero counts). */
  snapshot(): ClassificationState {
    return this.state.clone();
  }

  /** {@link classificationMetrics} of the held samples. */
  metrics(options?: ClassificationMetricsOptions): MetricValue[] {
    return classificationMetrics(this.state, options);
  }

  toJSON(): RollingCountWindowJson {
    const samples: [number, number][] = [];
    const start = (this.head - this.held + this.capacity) % this.capacity;
    for (let k = 0; k < this.held; k++) {
      const slot = (start + k) % this.capacity;
      samples.push([this.trueIndex[slot] ?? 0, this.predictedIndex[slot] ?? 0]);
    }
    return { version: 1, capacity: this.capacity, labels: [...this.state.labels], samples };
  }

  /**
   * Rebuilds a window from {@link toJSON} output.
   * @throws {InvalidStateJsonError} naming the offending path (not retriable)
   */
  static fromJSON(value: unknown): RollingCountWindow {
    const json = expectRecord(value, '$');
    if (json['version'] !== 1) throw new InvalidStateJsonError('version', '1');
    const window = new RollingCountWindow(expectCount(json['capacity'], 'capacity'));
    const labels = expectLabels(json['labels'], 'labels');
    const samples = expectIndexedCounts(json['samples'], 'samples', [labels.length, labels.length]);
    if (samples.length > window.capacity)
      throw new InvalidStateJsonError('samples', `at most ${window.capacity}`);
    // Register labels in their original order so indices in later snapshots stay stable.
    for (const label of labels) window.state.update(label, label).revert(label, label);
    for (const [t = 0, p = 0] of samples) window.update(labels[t] ?? '', labels[p] ?? '');
    return window;
  }
}
