/**
 * Bin edges taken from reference quantiles, shared by every histogram of a
 * feature so that window and reference states can be compared and merged.
 *
 * Bins are right-closed: with interior edges e₀ < … < e_{k−2}, bin 0 is
 * (−∞, e₀], bin i is (e_{i−1}, e_i] and the last bin (e_{k−2}, +∞). Nothing is
 * ever dropped (Evidently's numpy histograms drop current values outside the
 * reference range), and the cumulative count at an edge is the exact ECDF there.
 */

import { InvalidOptionError, EmptySampleError } from './errors.ts';
import { nextDown } from './float-bits.ts';
import { finiteValues } from './sample.ts';

/** Shared binning of one numeric feature. */
export interface BinSpec {
  /** interior edges, strictly increasing; k bins have k − 1 edges */
  readonly edges: Float64Array;
  /**
   * constant subtracted before accumulating sums (the reference mean), so that
   * variance from sum and sum of squares does not cancel catastrophically
   */
  readonly shift: number;
}

/** Default number of quantile bins. */
export const DEFAULT_BINS = 20;

/**
 * Quantile of sorted data by linear interpolation (numpy.quantile's default
 * method 'linear', including numpy's two-sided lerp).
 *
 * @param sorted - ascending finite values, at least one
 * @param q - probability in [0, 1]
 * @example
 * quantileSorted(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const pos = n * q + (1 - q) - 1;
  const lo = Math.min(Math.max(Math.floor(pos), 0), n - 1);
  const hi = Math.min(lo + 1, n - 1);
  const t = pos - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Edges at the reference quantiles i/bins (i = 1 … bins−1), deduplicated for ties.
 * A quantile value reached by two or more quantile levels is a point mass of at
 * least 1/bins of the reference; it gets a bin of its own, (nextDown(v), v], so
 * that atoms (and constant features, which become three bins: below, at and
 * above the constant) are never mixed with neighbouring values.
 *
 * @param reference - reference values; null, undefined, NaN and ±Infinity are ignored
 * @param bins - number of quantile bins before deduplication, 2 … 1000 (@default 20)
 * @throws {EmptySampleError} no finite reference values (not retriable)
 * @throws {InvalidOptionError} bins out of range (not retriable)
 * @example
 * referenceBins([1, 2, 3, 4, 5, 6, 7, 8], 4).edges; // Float64Array [2.75, 4.5, 6.25]
 */
export function referenceBins(reference: ArrayLike<number | null | undefined>, bins = DEFAULT_BINS): BinSpec {
  return referenceBinsOfSorted(finiteValues(reference).sort(), bins);
}

/**
 * {@link referenceBins} of values already sorted and finite: for a caller that needs the sorted values
 * itself too (the profile builder keeps them for exact KS) and so sorts them once.
 *
 * @param values - ascending finite values
 * @param bins - number of quantile bins before deduplication, 2 … 1000 (@default 20)
 * @throws {EmptySampleError} no values (not retriable)
 * @throws {InvalidOptionError} bins out of range (not retriable)
 */
export function referenceBinsOfSorted(values: Float64Array, bins = DEFAULT_BINS): BinSpec {
  if (!Number.isInteger(bins) || bins < 2 || bins > 1000) {
    throw new InvalidOptionError('bins', `${bins}; must be an integer in 2 … 1000`);
  }
  if (values.length === 0) throw new EmptySampleError('reference');
  const quantiles: number[] = [];
  for (let i = 1; i < bins; i++) quantiles.push(quantileSorted(values, i / bins));
  const edges: number[] = [];
  for (let i = 0; i < quantiles.length; i++) {
    const v = quantiles[i] as number;
    if (edges.length > 0 && (edges[edges.length - 1] as number) >= v) continue;
    const repeated = quantiles[i + 1] === v;
    const below = nextDown(v);
    if (repeated && (edges.length === 0 || (edges[edges.length - 1] as number) < below)) edges.push(below);
    edges.push(v);
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return { edges: Float64Array.from(edges), shift: sum / values.length };
}

/**
 * Index of the bin holding x (number of edges strictly below x), by binary
 * search; allocation-free.
 *
 * @param edges - interior edges, strictly increasing
 * @param x - a finite value
 * @example
 * binIndex(Float64Array.of(1, 2), 1); // 0: bins are right-closed
 */
export function binIndex(edges: Float64Array, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
