/**
 * ADWIN's window, compressed as an exponential histogram (the "ADWIN2" bucket scheme of Bifet &
 * Gavaldà 2007, §4): row `i` holds up to `maxBuckets` buckets, each summarising 2^i consecutive
 * values by their total and their sum of squared deviations (variance × size). When a row
 * overflows, its two oldest buckets merge into one bucket of the next row, so the window needs
 * O(maxBuckets · log W) memory.
 *
 * The arithmetic follows River's implementation operation for operation (same order, same
 * intermediate roundings) because ADWIN's cut test compares floats at its threshold, and a
 * different rounding can move a detection.
 */
import type { StateReader } from './snapshot.ts';

/** One level of the histogram. Index 0 is the oldest bucket of the row. */
export interface BucketRow {
  readonly totals: Float64Array;
  readonly variances: Float64Array;
  count: number;
}

/** Serialised window: only the live buckets of each row, row 0 (single values) first. */
export interface AdwinWindowState {
  readonly width: number;
  readonly total: number;
  /** Sum of squared deviations from the mean over the whole window (not divided by width). */
  readonly variance: number;
  readonly rows: readonly { readonly totals: readonly number[]; readonly variances: readonly number[] }[];
}

export class AdwinWindow {
  /** Number of values in the window. A float, like River's, since it enters float formulas. */
  width = 0;
  total = 0;
  /** Sum of squared deviations from the window mean. */
  variance = 0;
  /** Row i holds buckets of 2^i values; the last row holds the oldest data. */
  readonly rows: BucketRow[];

  constructor(private readonly maxBuckets: number) {
    this.rows = [this.newRow()];
  }

  /** Append a value as a new size-1 bucket, updating the running moments (Welford). */
  insert(value: number): void {
    const row = this.rows[0] as BucketRow;
    row.totals[row.count] = value;
    row.variances[row.count] = 0;
    row.count += 1;
    this.width += 1;
    let increment = 0;
    if (this.width > 1) {
      const d = value - this.total / (this.width - 1);
      increment = ((this.width - 1) * d * d) / this.width;
    }
    this.variance += increment;
    this.total += value;
    this.compress();
  }

  /** Drop the oldest bucket (the first of the last row); returns how many values it held. */
  deleteOldest(): number {
    const last = this.rows.length - 1;
    const row = this.rows[last] as BucketRow;
    const n = 2 ** last;
    const u = row.totals[0] as number;
    const v = row.variances[0] as number;
    const mu = u / n;
    this.width -= n;
    this.total -= u;
    const muWindow = this.total / this.width;
    this.variance -= v + (n * this.width * (mu - muWindow) * (mu - muWindow)) / (n + this.width);
    shift(row, 1);
    if (row.count === 0) this.rows.pop();
    return n;
  }

  toJSON(): AdwinWindowState {
    return {
      width: this.width,
      total: this.total,
      variance: this.variance,
      rows: this.rows.map((r) => ({
        totals: Array.from(r.totals.subarray(0, r.count)),
        variances: Array.from(r.variances.subarray(0, r.count)),
      })),
    };
  }

  /** Rebuild from `toJSON()` output; checks the row invariants and that the buckets add up to `width`. */
  static fromState(state: StateReader, maxBuckets: number): AdwinWindow {
    const w = new AdwinWindow(maxBuckets);
    w.width = state.num('width');
    w.total = state.num('total');
    w.variance = state.num('variance');
    const rows = state.list('rows');
    w.rows.length = 0;
    let counted = 0;
    for (const [i, rowState] of rows.entries()) {
      const totals = rowState.nums('totals');
      const variances = rowState.nums('variances');
      // Only a lone row (an empty window) may be empty: with maxBuckets >= 2 a merge always
      // leaves a bucket behind, and a cut that empties the oldest row removes it.
      const minCount = rows.length === 1 ? 0 : 1;
      if (totals.length !== variances.length || totals.length < minCount || totals.length > maxBuckets) {
        throw state.bad(
          `rows[${i}]`,
          `${minCount} to ${maxBuckets} buckets, as many variances`,
          totals.length,
        );
      }
      const row = w.newRow();
      row.totals.set(totals);
      row.variances.set(variances);
      row.count = totals.length;
      w.rows.push(row);
      counted += row.count * 2 ** i;
    }
    if (w.rows.length === 0) w.rows.push(w.newRow());
    if (counted !== w.width) throw state.bad('width', `the bucket sizes' sum (${counted})`, w.width);
    return w;
  }

  /** Merge overflowing rows upwards, as River's compress_buckets does after each insert. */
  private compress(): void {
    for (let idx = 0; ; idx++) {
      const row = this.rows[idx] as BucketRow;
      if (row.count !== this.maxBuckets + 1) return;
      const size = 2 ** idx;
      const t0 = row.totals[0] as number;
      const t1 = row.totals[1] as number;
      const mu1 = t0 / size;
      const mu2 = t1 / size;
      // Variance of the union (Chan et al.): both halves hold `size` values.
      const merged =
        (row.variances[0] as number) + (row.variances[1] as number) + size * 0.5 * (mu1 - mu2) * (mu1 - mu2);
      if (idx + 1 >= this.rows.length) this.rows.push(this.newRow());
      const next = this.rows[idx + 1] as BucketRow;
      next.totals[next.count] = t0 + t1;
      next.variances[next.count] = merged;
      next.count += 1;
      shift(row, 2);
      if (next.count <= this.maxBuckets) return;
    }
  }

  private newRow(): BucketRow {
    // One spare slot: a row briefly holds maxBuckets + 1 buckets before it is compressed.
    const cap = this.maxBuckets + 1;
    return { totals: new Float64Array(cap), variances: new Float64Array(cap), count: 0 };
  }
}

/** Remove the `k` oldest buckets of a row. Slots past `count` are never read, so not cleared. */
function shift(row: BucketRow, k: number): void {
  row.totals.copyWithin(0, k, row.count);
  row.variances.copyWithin(0, k, row.count);
  row.count -= k;
}
