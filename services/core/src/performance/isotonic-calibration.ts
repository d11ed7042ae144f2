/**
 * Per-class score calibration for confidence-based performance estimation (CBPE, NannyML; Guo et al. 2017 for
 * why raw scores need it): a monotone map from a class's raw score to the probability that the class is true,
 * fitted by isotonic regression (pool-adjacent-violators) on fine equal-width bins of the raw score.
 *
 * The learning state is counts per bin (events, positives, score sum), so instances and partitions merge
 * exactly; the fit is a pure function of the merged counts. Between bins the map interpolates linearly through
 * each bin's mean score, as scikit-learn's IsotonicRegression interpolates between its thresholds, and clips
 * outside the seen range.
 */
import { IncompatibleStateError, InvalidStateJsonError } from './errors.ts';

/** Bins of one class's raw score: events, events whose true class is this one, and the score sum. */
interface ClassBins {
  count: Float64Array;
  positives: Float64Array;
  scoreSum: Float64Array;
}

/** Plain-data form of {@link CalibrationCounts}: per class, sparse `[bin, count, positives, scoreSum]` rows. */
export interface CalibrationCountsJson {
  readonly bins: number;
  readonly labeled: number;
  readonly classes: Record<string, readonly (readonly [number, number, number, number])[]>;
}

/** Default calibration bins on [0, 1]: fine enough that binning moves estimates by well under 0.01. */
export const CALIBRATION_BINS = 10000;

/** Mergeable counts from which a {@link ScoreCalibration} is fitted. */
export class CalibrationCounts {
  private readonly perClass = new Map<string, ClassBins>();
  /** Labeled predictions counted. */
  labeled = 0;

  constructor(readonly bins: number = CALIBRATION_BINS) {}

  /** Counts one labeled prediction: its raw score per class and its true class. */
  update(scores: Readonly<Record<string, number>>, trueLabel: string): void {
    this.labeled += 1;
    for (const [label, score] of Object.entries(scores)) {
      if (!Number.isFinite(score)) continue;
      const b = this.binOf(score);
      const c = this.classBins(label);
      c.count[b] = c.count[b]! + 1;
      c.scoreSum[b] = c.scoreSum[b]! + score;
      if (label === trueLabel) c.positives[b] = c.positives[b]! + 1;
    }
    this.classBins(trueLabel);
  }

  /** Adds another instance's counts (same bins). */
  merge(other: CalibrationCounts): this {
    if (other.bins !== this.bins) throw new IncompatibleStateError('bins', this.bins, other.bins);
    this.labeled += other.labeled;
    for (const [label, o] of other.perClass) {
      const c = this.classBins(label);
      for (let b = 0; b < this.bins; b++) {
        c.count[b] = c.count[b]! + o.count[b]!;
        c.positives[b] = c.positives[b]! + o.positives[b]!;
        c.scoreSum[b] = c.scoreSum[b]! + o.scoreSum[b]!;
      }
    }
    return this;
  }

  /** Class labels seen (in scores or as a true label), sorted. */
  classes(): string[] {
    return [...this.perClass.keys()].sort();
  }

  /** Fits the isotonic map of every class. */
  fit(): ScoreCalibration {
    const maps = new Map<string, MonotoneMap>();
    for (const [label, c] of this.perClass) maps.set(label, fitIsotonic(c));
    return new ScoreCalibration(this.classes(), maps);
  }

  toJSON(): CalibrationCountsJson {
    const classes: Record<string, [number, number, number, number][]> = {};
    for (const [label, c] of this.perClass) {
      const rows: [number, number, number, number][] = [];
      for (let b = 0; b < this.bins; b++)
        if (c.count[b]! > 0) rows.push([b, c.count[b]!, c.positives[b]!, c.scoreSum[b]!]);
      classes[label] = rows;
    }
    return { bins: this.bins, labeled: this.labeled, classes };
  }

  static fromJSON(json: CalibrationCountsJson): CalibrationCounts {
    if (!Number.isSafeInteger(json.bins) || json.bins < 1)
      throw new InvalidStateJsonError('bins', 'a positive integer');
    const counts = new CalibrationCounts(json.bins);
    counts.labeled = json.labeled;
    for (const [label, rows] of Object.entries(json.classes)) {
      const c = counts.classBins(label);
      for (const [b, n, pos, sum] of rows) {
        if (b < 0 || b >= json.bins) throw new InvalidStateJsonError(`classes.${label}`, 'bins in range');
        c.count[b] = n;
        c.positives[b] = pos;
        c.scoreSum[b] = sum;
      }
    }
    return counts;
  }

  private binOf(score: number): number {
    return Math.min(Math.max(Math.floor(score * this.bins), 0), this.bins - 1);
  }

  private classBins(label: string): ClassBins {
    let c = this.perClass.get(label);
    if (!c) {
      const n = this.bins;
      c = { count: new Float64Array(n), positives: new Float64Array(n), scoreSum: new Float64Array(n) };
      this.perClass.set(label, c);
    }
    return c;
  }
}

/** A fitted monotone map: knots (mean score, probability), increasing in both. */
interface MonotoneMap {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** Pool-adjacent-violators over the non-empty bins, weighted by their counts. */
function fitIsotonic(c: ClassBins): MonotoneMap {
  const xs: number[] = [];
  const values: number[] = [];
  const weights: number[] = [];
  const sizes: number[] = [];
  for (let b = 0; b < c.count.length; b++) {
    const n = c.count[b]!;
    if (n === 0) continue;
    xs.push(c.scoreSum[b]! / n);
    values.push(c.positives[b]! / n);
    weights.push(n);
    sizes.push(1);
    while (values.length > 1 && values[values.length - 2]! > values[values.length - 1]!) {
      const w = weights.pop()!;
      const v = values.pop()!;
      const s = sizes.pop()!;
      const i = values.length - 1;
      values[i] = (values[i]! * weights[i]! + v * w) / (weights[i]! + w);
      weights[i] = weights[i]! + w;
      sizes[i] = sizes[i]! + s;
    }
  }
  const y: number[] = [];
  values.forEach((v, i) => {
    for (let k = 0; k < sizes[i]!; k++) y.push(v);
  });
  return { x: Float64Array.from(xs), y: Float64Array.from(y) };
}

/** Grid steps of the lookup tables: as fine as the calibration bins, so sampling changes nothing visible. */
const LOOKUP_GRID = 10_000;

function lookup(table: Float64Array, score: number): number {
  const x = Math.min(Math.max(score, 0), 1) * LOOKUP_GRID;
  const i = Math.floor(x);
  if (i >= LOOKUP_GRID) return table[LOOKUP_GRID]!;
  const lo = table[i]!;
  return lo + (x - i) * (table[i + 1]! - lo);
}

function applyMap(map: MonotoneMap, score: number): number {
  const { x, y } = map;
  const n = x.length;
  if (n === 0) return score;
  if (score <= x[0]!) return y[0]!;
  if (score >= x[n - 1]!) return y[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid]! <= score) lo = mid;
    else hi = mid;
  }
  const t = (score - x[lo]!) / (x[hi]! - x[lo]!);
  return y[lo]! + t * (y[hi]! - y[lo]!);
}

/**
 * Calibrated class probabilities of one prediction, as NannyML computes them: for two classes the positive
 * class (the second in sorted order) is calibrated and the other is its complement; for more, each class is
 * calibrated one-vs-rest and the results are normalized to sum to 1 (uniform when all are 0).
 */
export class ScoreCalibration {
  /**
   * Per class (in `classes` order) the map sampled on a grid of LOOKUP_GRID steps over [0, 1]: a prediction
   * is calibrated by one interpolation per class instead of a search over the knots (the per-event cost).
   */
  private readonly tables: Float64Array[];

  constructor(
    readonly classes: readonly string[],
    maps: ReadonlyMap<string, MonotoneMap>,
  ) {
    this.tables = classes.map((label) => {
      const map = maps.get(label) ?? { x: new Float64Array(0), y: new Float64Array(0) };
      return Float64Array.from({ length: LOOKUP_GRID + 1 }, (_, i) => applyMap(map, i / LOOKUP_GRID));
    });
  }

  /** The positive class of a binary model, or null for a multiclass one. */
  get positiveClass(): string | null {
    return this.classes.length === 2 ? this.classes[1]! : null;
  }

  /**
   * Calibrated probabilities in `classes` order; a class missing from `scores` counts as score 0. `out` (of
   * the classes' length) is filled and returned when given: the per-event path allocates nothing.
   */
  calibrate(
    scores: Readonly<Record<string, number>>,
    out: Float64Array = new Float64Array(this.classes.length),
  ): Float64Array {
    const k = this.classes.length;
    if (k === 2) {
      const pos = this.classes[1]!;
      const p = lookup(this.tables[1]!, scores[pos] ?? 1 - (scores[this.classes[0]!] ?? 0));
      out[0] = 1 - p;
      out[1] = p;
      return out;
    }
    let total = 0;
    for (let j = 0; j < k; j++) {
      out[j] = lookup(this.tables[j]!, scores[this.classes[j]!] ?? 0);
      total += out[j]!;
    }
    for (let j = 0; j < k; j++) out[j] = total > 0 ? out[j]! / total : 1 / k;
    return out;
  }
}
