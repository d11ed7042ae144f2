/**
 * Mergeable window state of one numeric feature: counts and sums per fixed
 * reference bin, plus missing count, n, sum, sum of squares, min and max. The
 * per-bin sums place each bin's mass at its mean, which makes the binned
 * Wasserstein distance far more accurate than spreading it over the bin.
 *
 * Merge semantics: counts, n, missing, min and max merge exactly (associative
 * and commutative bit for bit, as long as counts stay below 2^53). Per-bin sums
 * are plain float sums of (x − shift): commutative bit for bit, associative to
 * rounding (~1e-16 relative). The totals are
 * Neumaier-compensated (hi, lo) pairs of (x − shift) and (x − shift)²: their
 * merge is commutative bit for bit and associative to ~1e-16 relative, far
 * below anything the tests read from them (mean, std).
 */

import { IncompatibleBinsError, StateFormatError } from './errors.ts';
import { binFinder, type BinFinder } from './bin-finder.ts';
import type { BinSpec } from './reference-bins.ts';

/** JSON form of a {@link NumericHistogram}, for persistence and transport. */
export interface NumericHistogramJSON {
  version: 1;
  edges: number[];
  shift: number;
  counts: number[];
  /** per-bin sums of (x − shift) */
  binSums: number[];
  n: number;
  missing: number;
  sum: [number, number];
  sumSq: [number, number];
  min: number | null;
  max: number | null;
}

function sameEdges(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Histogram state over fixed edges; see the module comment for merge semantics. */
export class NumericHistogram {
  readonly edges: Float64Array;
  readonly shift: number;
  readonly counts: Float64Array;
  /** per-bin sums of (x − shift) */
  readonly binSums: Float64Array;
  /** number of finite values binned */
  n = 0;
  /** null, undefined, NaN and ±Infinity seen */
  missing = 0;
  min = Infinity;
  max = -Infinity;
  private sumHi = 0;
  private sumLo = 0;
  private sqHi = 0;
  private sqLo = 0;
  private readonly finder: BinFinder;

  /**
   * @param spec - shared edges and shift, usually from `referenceBins`
   * @example
   * const h = new NumericHistogram(referenceBins(referenceValues));
   * h.update(0.3);
   */
  constructor(spec: BinSpec) {
    this.edges = spec.edges;
    this.shift = spec.shift;
    this.counts = new Float64Array(spec.edges.length + 1);
    this.binSums = new Float64Array(spec.edges.length + 1);
    this.finder = binFinder(spec.edges);
  }

  /** The bin spec this histogram was built on. */
  get spec(): BinSpec {
    return { edges: this.edges, shift: this.shift };
  }

  /**
   * Add one value; non-finite values and null/undefined count as missing and are
   * not binned. Allocation-free.
   *
   * @param x - the value
   */
  update(x: number | null | undefined): void {
    if (typeof x !== 'number' || x - x !== 0) {
      this.missing++;
      return;
    }
    const counts = this.counts;
    const i = this.finder.index(x);
    counts[i] = (counts[i] as number) + 1;
    this.n++;
    const d = x - this.shift;
    this.binSums[i] = (this.binSums[i] as number) + d;
    let t = this.sumHi + d;
    this.sumLo += Math.abs(this.sumHi) >= Math.abs(d) ? this.sumHi - t + d : d - t + this.sumHi;
    this.sumHi = t;
    const d2 = d * d;
    t = this.sqHi + d2;
    this.sqLo += this.sqHi >= d2 ? this.sqHi - t + d2 : d2 - t + this.sqHi;
    this.sqHi = t;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /**
   * Adds values[from … to − 1] in order: the same state, bit for bit, as `update` on each, in one loop
   * whose running totals stay in registers (a window adds a column of a block of events at a time).
   * Allocation-free.
   */
  updateMany(values: Float64Array, from: number, to: number): void {
    const counts = this.counts;
    const binSums = this.binSums;
    const finder = this.finder;
    const shift = this.shift;
    let { n, missing, min, max, sumHi, sumLo, sqHi, sqLo } = this;
    for (let r = from; r < to; r++) {
      const x = values[r] as number;
      if (x - x !== 0) {
        missing++;
        continue;
      }
      const i = finder.index(x);
      counts[i] = (counts[i] as number) + 1;
      n++;
      const d = x - shift;
      binSums[i] = (binSums[i] as number) + d;
      let t = sumHi + d;
      sumLo += Math.abs(sumHi) >= Math.abs(d) ? sumHi - t + d : d - t + sumHi;
      sumHi = t;
      const d2 = d * d;
      t = sqHi + d2;
      sqLo += sqHi >= d2 ? sqHi - t + d2 : d2 - t + sqHi;
      sqHi = t;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    this.n = n;
    this.missing = missing;
    this.min = min;
    this.max = max;
    this.sumHi = sumHi;
    this.sumLo = sumLo;
    this.sqHi = sqHi;
    this.sqLo = sqLo;
  }

  /**
   * Fold another histogram over the same edges into this one.
   *
   * @param other - histogram with identical edges and shift
   * @throws {IncompatibleBinsError} edges or shift differ (not retriable)
   */
  merge(other: NumericHistogram): this {
    if (other.shift !== this.shift || !sameEdges(this.edges, other.edges)) {
      throw new IncompatibleBinsError(
        `${this.edges.length + 1} vs ${other.edges.length + 1} bins or different shift`,
      );
    }
    for (let i = 0; i < this.counts.length; i++) {
      this.counts[i] = (this.counts[i] as number) + (other.counts[i] as number);
      this.binSums[i] = (this.binSums[i] as number) + (other.binSums[i] as number);
    }
    this.n += other.n;
    this.missing += other.missing;
    [this.sumHi, this.sumLo] = addPairs(this.sumHi, this.sumLo, other.sumHi, other.sumLo);
    [this.sqHi, this.sqLo] = addPairs(this.sqHi, this.sqLo, other.sqHi, other.sqLo);
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    return this;
  }

  /** An independent copy (sharing the immutable edges). */
  clone(): NumericHistogram {
    return NumericHistogram.fromJSON(this.toJSON(), this.edges);
  }

  /** Mean of the binned values; NaN when n = 0. */
  get mean(): number {
    return this.shift + (this.sumHi + this.sumLo) / this.n;
  }

  /** Population variance (ddof = 0) of the binned values; NaN when n = 0. */
  get variance(): number {
    const m = (this.sumHi + this.sumLo) / this.n;
    return Math.max(0, (this.sqHi + this.sqLo) / this.n - m * m);
  }

  /** Population standard deviation (as numpy.std); NaN when n = 0. */
  get std(): number {
    return Math.sqrt(this.variance);
  }

  /** Mean of the values in bin i (NaN for an empty bin). */
  binMean(i: number): number {
    return this.shift + (this.binSums[i] as number) / (this.counts[i] as number);
  }

  /** Total of observations, missing included. */
  get total(): number {
    return this.n + this.missing;
  }

  toJSON(): NumericHistogramJSON {
    return {
      version: 1,
      edges: Array.from(this.edges),
      shift: this.shift,
      counts: Array.from(this.counts),
      binSums: Array.from(this.binSums),
      n: this.n,
      missing: this.missing,
      sum: [this.sumHi, this.sumLo],
      sumSq: [this.sqHi, this.sqLo],
      min: this.n > 0 ? this.min : null,
      max: this.n > 0 ? this.max : null,
    };
  }

  /**
   * Restore a histogram from {@link NumericHistogram.toJSON}.
   *
   * @param json - the persisted form
   * @param edges - optionally, an existing edges array equal to json.edges to share
   * @throws {StateFormatError} malformed or inconsistent state (not retriable)
   */
  static fromJSON(json: NumericHistogramJSON, edges?: Float64Array): NumericHistogram {
    validateJSON(json);
    const own = Float64Array.from(json.edges);
    const h = new NumericHistogram({
      edges: edges && sameEdges(edges, own) ? edges : own,
      shift: json.shift,
    });
    h.counts.set(json.counts);
    h.binSums.set(json.binSums);
    h.n = json.n;
    h.missing = json.missing;
    [h.sumHi, h.sumLo] = json.sum;
    [h.sqHi, h.sqLo] = json.sumSq;
    h.min = json.min ?? Infinity;
    h.max = json.max ?? -Infinity;
    return h;
  }
}

function addPairs(aHi: number, aLo: number, bHi: number, bLo: number): [number, number] {
  const t = aHi + bHi;
  const err = Math.abs(aHi) >= Math.abs(bHi) ? aHi - t + bHi : bHi - t + aHi;
  return [t, aLo + bLo + err];
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

function validateJSON(json: NumericHistogramJSON): void {
  if (json?.version !== 1) throw new StateFormatError(`unsupported version ${String(json?.version)}`);
  const { edges, counts } = json;
  if (!Array.isArray(edges) || !Array.isArray(counts) || counts.length !== edges.length + 1) {
    throw new StateFormatError('counts must have one more entry than edges');
  }
  for (let i = 0; i < edges.length; i++) {
    if (!Number.isFinite(edges[i]) || (i > 0 && (edges[i] as number) <= (edges[i - 1] as number))) {
      throw new StateFormatError('edges must be finite and strictly increasing');
    }
  }
  if (
    !Array.isArray(json.binSums) ||
    json.binSums.length !== counts.length ||
    !json.binSums.every(Number.isFinite)
  ) {
    throw new StateFormatError('binSums must be finite, one per bin');
  }
  if (!counts.every(isCount) || !isCount(json.n) || !isCount(json.missing)) {
    throw new StateFormatError('counts, n and missing must be non-negative integers');
  }
  if (counts.reduce((a, b) => a + b, 0) !== json.n)
    throw new StateFormatError('n differs from the sum of counts');
  if (json.n > 0 && !(Number.isFinite(json.min) && Number.isFinite(json.max))) {
    throw new StateFormatError('min and max are required when n > 0');
  }
}
