/**
 * Mergeable window state of confidence-based performance estimation (NannyML's CBPE): from calibrated class
 * probabilities alone (no labels), the expected confusion matrix, the variance terms of the realized
 * accuracy and precision (Poisson-binomial: each prediction is right with its calibrated probability), and per
 * class a histogram of the raw score holding the sum of calibrated probabilities, from which the expected ROC
 * AUC follows as NannyML computes it (events ordered by raw score, expected positives cumulated).
 *
 * All parts are sums, so partial states of partitions and instances merge exactly.
 */
import { IncompatibleStateError, InvalidStateJsonError } from './errors.ts';
import type { ScoreCalibration } from './isotonic-calibration.ts';

/** Raw-score bins of the ROC AUC histograms: ties within a bin move the AUC by far less than 0.01. */
export const ESTIMATE_AUC_BINS = 2000;

/** Plain-data form of {@link EstimateState}. */
export interface EstimateStateJson {
  readonly classes: readonly string[];
  readonly bins: number;
  readonly count: number;
  readonly unknown: number;
  /** expected[j][k]: expected events of true class j predicted as k. */
  readonly expected: readonly (readonly number[])[];
  readonly predicted: readonly number[];
  readonly hitVariance: readonly number[];
  /** Per class, sparse `[bin, events, expected positives]`. */
  readonly auc: readonly (readonly (readonly [number, number, number])[])[];
}

export class EstimateState {
  count = 0;
  /** Events whose predicted label is not one of the calibration's classes (not estimated). */
  unknown = 0;
  readonly expected: Float64Array[];
  readonly predicted: Float64Array;
  /** Σ over events predicted k of p_k(1 − p_k): the variance of the number of right predictions of k. */
  readonly hitVariance: Float64Array;
  readonly aucCount: Float64Array[];
  readonly aucPositives: Float64Array[];
  /** Scratch for one event's calibrated probabilities. */
  private readonly probabilities: Float64Array;

  constructor(
    readonly classes: readonly string[],
    readonly bins: number = ESTIMATE_AUC_BINS,
  ) {
    const k = classes.length;
    this.expected = Array.from({ length: k }, () => new Float64Array(k));
    this.predicted = new Float64Array(k);
    this.hitVariance = new Float64Array(k);
    this.aucCount = Array.from({ length: k }, () => new Float64Array(bins));
    this.aucPositives = Array.from({ length: k }, () => new Float64Array(bins));
    this.probabilities = new Float64Array(k);
  }

  /** Adds one prediction (its label and raw scores) calibrated by `calibration` (of the same classes). */
  update(
    predictedLabel: string,
    scores: Readonly<Record<string, number>>,
    calibration: ScoreCalibration,
  ): void {
    const k = this.classes.indexOf(predictedLabel);
    if (k < 0) {
      this.unknown += 1;
      return;
    }
    const p = calibration.calibrate(scores, this.probabilities);
    this.count += 1;
    this.predicted[k] = this.predicted[k]! + 1;
    this.hitVariance[k] = this.hitVariance[k]! + p[k]! * (1 - p[k]!);
    const binary = this.classes.length === 2;
    for (let j = 0; j < this.classes.length; j++) {
      this.expected[j]![k] = this.expected[j]![k]! + p[j]!;
      const raw =
        binary && j === 0 ? 1 - rawScore(scores, this.classes, 1) : rawScore(scores, this.classes, j);
      const b = Math.min(Math.max(Math.floor(raw * this.bins), 0), this.bins - 1);
      this.aucCount[j]![b] = this.aucCount[j]![b]! + 1;
      this.aucPositives[j]![b] = this.aucPositives[j]![b]! + p[j]!;
    }
  }

  merge(other: EstimateState): this {
    if (other.bins !== this.bins) throw new IncompatibleStateError('bins', this.bins, other.bins);
    if (other.classes.join('\u0000') !== this.classes.join('\u0000'))
      throw new IncompatibleStateError('classes', this.classes.join(','), other.classes.join(','));
    this.count += other.count;
    this.unknown += other.unknown;
    addInto(this.predicted, other.predicted);
    addInto(this.hitVariance, other.hitVariance);
    this.expected.forEach((row, j) => addInto(row, other.expected[j]!));
    this.aucCount.forEach((row, j) => addInto(row, other.aucCount[j]!));
    this.aucPositives.forEach((row, j) => addInto(row, other.aucPositives[j]!));
    return this;
  }

  toJSON(): EstimateStateJson {
    const auc = this.classes.map((_, j) => {
      const rows: [number, number, number][] = [];
      for (let b = 0; b < this.bins; b++)
        if (this.aucCount[j]![b]! > 0) rows.push([b, this.aucCount[j]![b]!, this.aucPositives[j]![b]!]);
      return rows;
    });
    return {
      classes: [...this.classes],
      bins: this.bins,
      count: this.count,
      unknown: this.unknown,
      expected: this.expected.map((r) => [...r]),
      predicted: [...this.predicted],
      hitVariance: [...this.hitVariance],
      auc,
    };
  }

  static fromJSON(json: EstimateStateJson): EstimateState {
    const k = json.classes.length;
    if (json.expected.length !== k || json.predicted.length !== k || json.auc.length !== k)
      throw new InvalidStateJsonError('expected', `${k} rows, one per class`);
    const s = new EstimateState(json.classes, json.bins);
    s.count = json.count;
    s.unknown = json.unknown;
    json.expected.forEach((row, j) => s.expected[j]!.set(row));
    s.predicted.set(json.predicted);
    s.hitVariance.set(json.hitVariance);
    json.auc.forEach((rows, j) => {
      for (const [b, n, pos] of rows) {
        s.aucCount[j]![b] = n;
        s.aucPositives[j]![b] = pos;
      }
    });
    return s;
  }
}

function rawScore(scores: Readonly<Record<string, number>>, classes: readonly string[], j: number): number {
  const v = scores[classes[j]!];
  if (v !== undefined && Number.isFinite(v)) return v;
  // A binary model may send only one class's score.
  if (classes.length === 2) return 1 - (scores[classes[1 - j]!] ?? 0.5);
  return 0;
}

function addInto(target: Float64Array, source: Float64Array): void {
  for (let i = 0; i < target.length; i++) target[i] = target[i]! + source[i]!;
}
