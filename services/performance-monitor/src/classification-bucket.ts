import { CalibrationBins, type ClassificationState } from '../../core/src/performance/index.ts';
import { DriftlineError } from '../../core/src/errors.ts';

/** Plain-data form for the changelog. */
export interface ClassificationBucketJson {
  labels: string[];
  /** Per label of `labels`: held samples carrying it. Absent in older snapshots. */
  labelSamples?: number[];
  confusion: [string, string, number][];
  scoredCount: number;
  logLossSum: number;
  brierSum: number;
  calibration: { count: number[]; confidenceSum: number[]; correctCount: number[] };
}

/**
 * What `performance_buckets` keeps of a classifier per small time bucket: plain sums that an analyst adds up
 * over any range in SQL (confusion counts, log-loss and Brier sums, calibration bins). Unlike a window state
 * it holds no score histograms, so a bucket costs a few hundred bytes, not tens of kilobytes.
 */
export class ClassificationBucket {
  /**
   * Every label a held sample carries (true, predicted or score key): Brier's ½ applies when there are at
   * most two. A label leaves when a correction takes out the last sample carrying it.
   */
  readonly labels = new Set<string>();
  /** Label → held samples carrying it. */
  private readonly labelSamples = new Map<string, number>();
  /** `true` → `predicted` → count. */
  readonly confusion = new Map<string, Map<string, number>>();
  count = 0;
  correct = 0;
  scoredCount = 0;
  logLossSum = 0;
  brierSum = 0;
  readonly calibration: CalibrationBins;

  constructor(calibrationBins: number) {
    this.calibration = new CalibrationBins(calibrationBins);
  }

  /** Adds a batch's samples of this bucket (a fresh window state) into the sums. */
  add(delta: ClassificationState): void {
    this.combine(delta, 1);
  }

  /** Takes out samples added before (a correction's earlier pair); the caller checked {@link holds}. */
  subtract(gone: ClassificationState): void {
    this.combine(gone, -1);
  }

  /** Whether every sample of `state` can be held here (confusion cells, scored samples, labels). */
  holds(state: ClassificationState): boolean {
    const labels = state.labels;
    if (state.count > this.count || state.scoredCount > this.scoredCount) return false;
    return labels.every((t, ti) => {
      if (state.labelSampleCount(t) > (this.labelSamples.get(t) ?? 0)) return false;
      const row = this.confusion.get(t);
      return labels.every((p, pi) => state.confusionCount(ti, pi) <= (row?.get(p) ?? 0));
    });
  }

  private combine(delta: ClassificationState, sign: 1 | -1): void {
    if (delta.calibrationBins.bins !== this.calibration.bins) {
      throw new DriftlineError('bucket and window states must use the same calibration bins');
    }
    const labels = delta.labels;
    for (const label of labels) this.addLabel(label, sign * delta.labelSampleCount(label));
    for (let t = 0; t < labels.length; t++) {
      for (let p = 0; p < labels.length; p++) {
        const n = delta.confusionCount(t, p);
        if (n !== 0) this.addCell(labels[t] ?? '', labels[p] ?? '', sign * n);
      }
    }
    this.scoredCount += sign * delta.scoredCount;
    // With no scored sample left the sums are exactly 0, as in a bucket that never had one.
    this.logLossSum = this.scoredCount === 0 ? 0 : this.logLossSum + sign * delta.logLossSum;
    this.brierSum = this.scoredCount === 0 ? 0 : this.brierSum + sign * delta.brierSum;
    this.calibration.merge(delta.calibrationBins as CalibrationBins, sign);
  }

  private addLabel(label: string, n: number): void {
    const held = (this.labelSamples.get(label) ?? 0) + n;
    if (held > 0) {
      this.labelSamples.set(label, held);
      this.labels.add(label);
    } else {
      this.labelSamples.delete(label);
      this.labels.delete(label);
    }
  }

  private addCell(trueLabel: string, predictedLabel: string, n: number): void {
    let row = this.confusion.get(trueLabel);
    if (!row) this.confusion.set(trueLabel, (row = new Map()));
    const held = (row.get(predictedLabel) ?? 0) + n;
    // A cell emptied by a correction goes, so the row's cells are those of the held samples.
    if (held !== 0) row.set(predictedLabel, held);
    else if (row.delete(predictedLabel) && row.size === 0) this.confusion.delete(trueLabel);
    this.count += n;
    if (trueLabel === predictedLabel) this.correct += n;
  }

  /** Confusion cells sorted by (true, predicted), so rows are deterministic. */
  cells(): [string, string, number][] {
    const out: [string, string, number][] = [];
    for (const [t, row] of this.confusion) for (const [p, n] of row) out.push([t, p, n]);
    return out.sort((a, b) => (a[0] === b[0] ? compare(a[1], b[1]) : compare(a[0], b[0])));
  }

  toJSON(): ClassificationBucketJson {
    const c = this.calibration;
    const labels = [...this.labels].sort(compare);
    return {
      labels,
      labelSamples: labels.map((label) => this.labelSamples.get(label) ?? 0),
      confusion: this.cells(),
      scoredCount: this.scoredCount,
      logLossSum: this.logLossSum,
      brierSum: this.brierSum,
      calibration: {
        count: Array.from(c.count),
        confidenceSum: Array.from(c.confidenceSum),
        correctCount: Array.from(c.correctCount),
      },
    };
  }

  static fromJSON(json: ClassificationBucketJson): ClassificationBucket {
    const bucket = new ClassificationBucket(json.calibration.count.length);
    for (const [t, p, n] of json.confusion) bucket.addCell(t, p, n);
    // Older snapshots have no label counts: every label counts as carried while anything is held.
    json.labels.forEach((label, i) =>
      bucket.addLabel(label, json.labelSamples?.[i] ?? Math.max(1, bucket.count)),
    );
    bucket.scoredCount = json.scoredCount;
    bucket.logLossSum = json.logLossSum;
    bucket.brierSum = json.brierSum;
    bucket.calibration.count.set(json.calibration.count);
    bucket.calibration.confidenceSum.set(json.calibration.confidenceSum);
    bucket.calibration.correctCount.set(json.calibration.correctCount);
    return bucket;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
