import { binnedKs } from '../../core/src/stats/binned-ks.ts';
import { binnedNormalizedWasserstein, binnedWasserstein } from '../../core/src/stats/binned-wasserstein.ts';
import { alignCategories, type CategoryCounts } from '../../core/src/stats/category-counts.ts';
import { chiSquareDrift } from '../../core/src/stats/chi-square.ts';
import { jensenShannonDistance } from '../../core/src/stats/jensen-shannon.ts';
import { missingRateChange } from '../../core/src/stats/missing-rate.ts';
import type { NumericHistogram } from '../../core/src/stats/numeric-histogram.ts';
import { psi } from '../../core/src/stats/psi.ts';
import { sampleKs, type ReferenceSample } from '../../core/src/stats/sample-ks.ts';
import type { StatTestName } from '../../core/src/stats/stattest-types.ts';
import { unseenCategoryShare } from '../../core/src/stats/unseen-categories.ts';

/** One computed test of one column: a drift_metrics row before the window columns are added. */
export interface TestRow {
  method: string;
  statistic: number;
  pValue: number | null;
  /** null for informational rows (wasserstein_raw) */
  threshold: number | null;
  drifted: boolean;
  basis: 'exact' | 'binned' | 'summary';
  detail: Record<string, unknown>;
}

/** Thresholds of the rows that are not the column's decisive test. */
export interface RowThresholds {
  tests: Record<StatTestName, number>;
  missingAlpha: number;
  unseenShare: number;
}

const pRow = (
  method: string,
  statistic: number,
  p: number,
  t: number,
  basis: TestRow['basis'],
  detail = {},
): TestRow => ({
  method,
  statistic,
  pValue: p,
  threshold: t,
  drifted: p <= t,
  basis,
  detail,
});

const distanceRow = (
  method: string,
  statistic: number,
  t: number,
  basis: TestRow['basis'],
  detail = {},
): TestRow => ({
  method,
  statistic,
  pValue: null,
  threshold: t,
  drifted: statistic >= t,
  basis,
  detail,
});

/** The raw values behind a numeric column, when both sides have them. */
export interface ExactValues {
  reference: ReferenceSample | undefined;
  /** every value of the window, or null when the window held too many to keep */
  window: Float64Array | null;
}

/**
 * KS from raw values when the reference sample and every window value are at hand: exact as
 * scipy.stats.ks_2samp (or within 1/size of it on a summarised reference, `basis` = summary). Otherwise the
 * binned KS, a lower bound of the exact statistic with its upper bound in the detail.
 */
function ksRow(
  reference: NumericHistogram,
  window: NumericHistogram,
  t: number,
  exact?: ExactValues,
): TestRow {
  if (exact?.reference !== undefined && exact.window !== null && exact.window.length === window.n) {
    const ks = sampleKs(exact.reference, exact.window);
    const basis = exact.reference.exact ? 'exact' : 'summary';
    return pRow('ks', ks.statistic, ks.pValue, t, basis, { error_bound: ks.errorBound, p_method: ks.method });
  }
  const ks = binnedKs(reference, window);
  return pRow('ks', ks.statistic, ks.pValue, t, 'binned', { upper_bound: ks.upperBound });
}

/**
 * Every numeric test from the two histograms (both non-empty): KS (exact from raw values on small windows,
 * else binned with its exact-statistic upper bound), Wasserstein normed by the reference std and raw
 * (feature units) with their error bounds, PSI and Jensen-Shannon over the reference bins.
 */
export function numericTests(
  reference: NumericHistogram,
  window: NumericHistogram,
  t: RowThresholds,
  exact?: ExactValues,
): TestRow[] {
  const normed = binnedNormalizedWasserstein(reference, window);
  const raw = binnedWasserstein(reference, window);
  return [
    ksRow(reference, window, t.tests.ks, exact),
    distanceRow('wasserstein', normed.distance, t.tests.wasserstein, 'binned', {
      error_bound: normed.errorBound,
      reference_std: reference.std,
    }),
    {
      method: 'wasserstein_raw',
      statistic: raw.distance,
      pValue: null,
      threshold: null,
      drifted: false,
      basis: 'binned',
      detail: { error_bound: raw.errorBound },
    },
    distanceRow('psi', psi(reference.counts, window.counts), t.tests.psi, 'binned', {
      bins: reference.counts.length,
    }),
    distanceRow(
      'jensen_shannon',
      jensenShannonDistance(reference.counts, window.counts),
      t.tests.jensen_shannon,
      'binned',
    ),
  ];
}

/** Every categorical test from the two count states (both non-empty). */
export function categoricalTests(
  reference: CategoryCounts,
  window: CategoryCounts,
  t: RowThresholds,
): TestRow[] {
  const chi = chiSquareDrift(reference.counts, window.counts);
  const aligned = alignCategories(reference, window);
  const unseen = unseenCategoryShare(reference, window);
  return [
    pRow('chi2', chi.statistic, chi.pValue, t.tests.chi2, 'exact', { df: chi.df, smoothed: chi.smoothed }),
    distanceRow('psi', psi(aligned.reference, aligned.window), t.tests.psi, 'exact', {
      categories: aligned.categories.length,
    }),
    distanceRow(
      'jensen_shannon',
      jensenShannonDistance(aligned.reference, aligned.window),
      t.tests.jensen_shannon,
      'exact',
    ),
    distanceRow('unseen_share', unseen.share, t.unseenShare, 'exact', {
      unseen_count: unseen.unseenCount,
      unseen_categories: unseen.categories.slice(0, 20),
    }),
  ];
}

/** Missing-value rate of the window against the reference (two-proportion z-test). Null when a side is empty. */
export function missingRateRow(
  reference: { missing: number; total: number },
  window: { missing: number; total: number },
  alpha: number,
): TestRow | null {
  if (reference.total === 0 || window.total === 0) return null;
  const m = missingRateChange(reference, window);
  return pRow('missing_rate', m.windowRate, m.pValue, alpha, 'exact', {
    reference_rate: m.referenceRate,
    difference: m.difference,
    z: m.zStatistic,
  });
}
