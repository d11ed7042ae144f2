import type { ColumnProfileJSON } from '../../drift-monitor/src/profile.ts';
import { quantileSorted } from '../../core/src/stats/reference-bins.ts';
import type { NumericHistogramJSON } from '../../core/src/stats/numeric-histogram.ts';

/** The quantile levels every numeric summary reports, window and reference alike. */
export const QUANTILE_LEVELS = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

export interface NumericSummary {
  count: number;
  missing: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  quantiles: Record<string, number | null>;
  /** How the quantiles were obtained: from stored values, or interpolated within the reference bins. */
  quantile_basis: string;
}

export interface CategoricalSummary {
  count: number;
  missing: number;
  shares: Record<string, number>;
}

const levelKey = (q: number) => `p${Math.round(q * 100)}`;

/**
 * The reference side of a feature's distribution, from its stored profile column. Pure.
 * Quantiles come from the stored sorted sample when the profile has one (numpy's linear method, as the
 * drift monitor's bins do), otherwise from the histogram: the count at each edge is the exact ECDF there,
 * and between edges (and out to min and max) the mass is spread linearly.
 */
export function referenceSummary(column: ColumnProfileJSON): NumericSummary | CategoricalSummary {
  if (column.kind === 'categorical') {
    const { counts, missing } = column.reference;
    const n = counts.reduce((s, [, c]) => s + c, 0);
    return { count: n, missing, shares: Object.fromEntries(counts.map(([k, c]) => [k, n > 0 ? c / n : 0])) };
  }
  const h = column.reference;
  const mean = h.n > 0 ? h.shift + (h.sum[0] + h.sum[1]) / h.n : null;
  const sample = column.sample;
  const fromSample = sample !== undefined && sample.values.length > 0;
  const quantiles = Object.fromEntries(
    QUANTILE_LEVELS.map((q) => [
      levelKey(q),
      fromSample ? quantileSorted(Float64Array.from(sample.values), q) : histogramQuantile(h, q),
    ]),
  );
  return {
    count: h.n,
    missing: h.missing,
    mean,
    min: h.min,
    max: h.max,
    quantiles,
    quantile_basis: fromSample
      ? sample.exact
        ? 'reference values'
        : 'reference quantile summary'
      : 'reference bins',
  };
}

/** A quantile of a histogram's mass, linear within each bin; bins run (min, e0], (e0, e1], ..., (e_last, max]. */
export function histogramQuantile(h: NumericHistogramJSON, q: number): number | null {
  if (h.n === 0 || h.min === null || h.max === null) return null;
  const bounds = [
    h.min,
    ...h.edges.map((e) => Math.min(Math.max(e, h.min as number), h.max as number)),
    h.max,
  ];
  const target = q * h.n;
  let below = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const count = h.counts[i] as number;
    if (count > 0 && below + count >= target) {
      const lo = bounds[i] as number;
      const hi = bounds[i + 1] as number;
      return lo + ((target - below) / count) * (hi - lo);
    }
    below += count;
  }
  return h.max;
}

/** Window quantiles as ClickHouse returns them (an array in QUANTILE_LEVELS order), keyed like the reference. */
export function quantilesByLevel(values: readonly number[] | null): Record<string, number | null> {
  return Object.fromEntries(QUANTILE_LEVELS.map((q, i) => [levelKey(q), values?.[i] ?? null]));
}
