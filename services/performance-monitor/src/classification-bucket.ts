import { CalibrationBins, type ClassificationState } from '../../core/src/performance/index.ts';
import { DriftlineError } from '../../core/src/errors.ts';

/** Plain-data form for the changelog. */
export interface ClassificationBucketJson {
  labels: string[];
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
  /** Every label seen (true, predicted or score key): Brier's ½ applies when there are at most two. */
  readonly labels = new Set<string>();
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
    const labels = delta.labels;
    for (const label of labels) this.labels.add(label);
    for (let t = 0; t < labels.length; t++) {
      for (let p = 0; p < labels.length; p++) {
        const n = delta.confusionCount(t, p);
        if (n !== 0) this.addCell(labels[t] ?? '', labels[p] ?? '', n);
      }
    }
    this.scoredCount += delta.scoredCount;
    this.logLossSum += delta.logLossSum;
    this.brierSum += delta.brierSum;
    if (delta.calibrationBins.bins !== this.calibration.bins) {
      throw new DriftlineError('bucket and window states must use the same calibration bins');
    }
    this.calibration.merge(delta.calibrationBins as CalibrationBins);
  }

  private addCell(trueLabel: string, predictedLabel: string, n: number): void {
    let row = this.confusion.get(trueLabel);
    if (!row) this.confusion.set(trueLabel, (row = new Map()));
    row.set(predictedLabel, (row.get(predictedLabel) ?? 0) + n);
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
    return {
      labels: [...this.labels].sort(compare),
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
    for (const label of json.labels) bucket.labels.add(label);
    for (const [t, p, n] of json.confusion) bucket.addCell(t, p, n);
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
