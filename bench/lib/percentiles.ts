/** Latency figures of a sample: its size and nearest-rank percentiles, in the sample's unit. */
export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Nearest-rank percentiles (the smallest value with at least q of the sample at or below it), so every
 * figure is a value that was measured. Pure; sorts a copy. NaN figures for an empty sample.
 * @example percentiles([5, 1, 4, 2, 3]) // { n: 5, p50: 3, p95: 5, p99: 5, max: 5 }
 */
export function percentiles(values: readonly number[] | Float64Array): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]! : NaN);
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}
