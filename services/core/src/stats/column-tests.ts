/**
 * The drift tests computed from a column's mergeable states: the one computation behind the registry
 * (registry.ts runs one test by name) and the drift monitor (every row of a column at window close).
 * Direction stays here: p-value rows drift when p ≤ threshold, distance rows when statistic ≥ threshold.
 */

import { binnedKs } from './binned-ks.ts';
import { binnedNormalizedWasserstein, binnedWasserstein } from './binned-wasserstein.ts';
import { alignCategories, type CategoryCounts } from './category-counts.ts';
import { chiSquareDrift } from './chi-square.ts';
import { jensenShannonDistance } from './jensen-shannon.ts';
import { missingRateChange } from './missing-rate.ts';
import type { NumericHistogram } from './numeric-histogram.ts';
import { psi } from './psi.ts';
import { sampleKs, type ReferenceSample } from './sample-ks.ts';
import type { StatTestName } from './stattest-types.ts';
import { unseenCategoryShare } from './unseen-categories.ts';

/** One computed test of one column: a drift_metrics row before the window columns are added. */
export interface TestRow {
  method: string;
  statistic: number;
  pValue: number | null;
  /** null for informational rows (wasserstein_raw) */
  threshold: number | null;
  drifted: boolean;
  /** `exact` from raw values or category counts, `summary` from a reference quantile summary, `binned` from histograms */
  basis: 'exact' | 'binned' | 'summary';
  detail: Record<string, unknown>;
}

/** Thresholds of every row a column gets. */
export interface RowThresholds {
  tests: Record<StatTestName, number>;
  missingAlpha: number;
  unseenShare: number;
}

/** The raw values behind a numeric column, when both sides have them. */
export interface ExactValues {
  reference: ReferenceSample | undefined;
  /** every value of the window, or null when the window held too many to keep */
  window: Float64Array | null;
}

const pRow = (
  method: string,
  statistic: number,
  p: number,
  t: number,
  basis: TestRow['basis'],
  detail = {},
) => ({ method, statistic, pValue: p, threshold: t, drifted: p <= t, basis, detail }) satisfies TestRow;

const distanceRow = (method: string, statistic: number, t: number, basis: TestRow['basis'], detail = {}) =>
  ({
    method,
    statistic,
    pValue: null,
    threshold: t,
    drifted: statistic >= t,
    basis,
    detail,
  }) satisfies TestRow;

type NumericTest = (r: NumericHistogram, w: NumericHistogram, t: number, exact?: ExactValues) => TestRow;
type Aligned = ReturnType<typeof alignCategories>;
/** `aligned`: the two sides over the union of their categories, when the caller has it already. */
type CategoricalTest = (r: CategoryCounts, w: CategoryCounts, t: number, aligned?: Aligned) => TestRow;

/**
 * KS from raw values when the reference sample and every window value are at hand: exact as
 * scipy.stats.ks_2samp (or within 1/size of it on a summarised reference, `basis` = summary). Otherwise the
 * binned KS, a lower bound of the exact statistic with its upper bound in the detail.
 */
const ksRow: NumericTest = (reference, window, t, exact) => {
  if (exact?.reference !== undefined && exact.window !== null && exact.window.length === window.n) {
    const ks = sampleKs(exact.reference, exact.window);
    const basis = exact.reference.exact ? 'exact' : 'summary';
    return pRow('ks', ks.statistic, ks.pValue, t, basis, { error_bound: ks.errorBound, p_method: ks.method });
  }
  const ks = binnedKs(reference, window);
  return pRow('ks', ks.statistic, ks.pValue, t, 'binned', { upper_bound: ks.upperBound });
};

/** The numeric tests a threshold applies to, by name. */
export const NUMERIC_TESTS: Readonly<Partial<Record<StatTestName, NumericTest>>> = {
  ks: ksRow,
  wasserstein: (reference, window, t) => {
    const normed = binnedNormalizedWasserstein(reference, window);
    return distanceRow('wasserstein', normed.distance, t, 'binned', {
      error_bound: normed.errorBound,
      reference_std: reference.std,
    });
  },
  psi: (reference, window, t) =>
    distanceRow('psi', psi(reference.counts, window.counts), t, 'binned', { bins: reference.counts.length }),
  jensen_shannon: (reference, window, t) =>
    distanceRow('jensen_shannon', jensenShannonDistance(reference.counts, window.counts), t, 'binned'),
};

/** The categorical tests a threshold applies to, by name. */
export const CATEGORICAL_TESTS: Readonly<Partial<Record<StatTestName, CategoricalTest>>> = {
  chi2: (reference, window, t) => {
    const chi = chiSquareDrift(reference.counts, window.counts);
    return pRow('chi2', chi.statistic, chi.pValue, t, 'exact', { df: chi.df, smoothed: chi.smoothed });
  },
  psi: (reference, window, t, aligned = alignCategories(reference, window)) => {
    return distanceRow('psi', psi(aligned.reference, aligned.window), t, 'exact', {
      categories: aligned.categories.length,
    });
  },
  jensen_shannon: (reference, window, t, aligned = alignCategories(reference, window)) => {
    return distanceRow(
      'jensen_shannon',
      jensenShannonDistance(aligned.reference, aligned.window),
      t,
      'exact',
    );
  },
};

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
  const raw = binnedWasserstein(reference, window);
  const [ks, wasserstein, psiTest, jensenShannon] = (
    ['ks', 'wasserstein', 'psi', 'jensen_shannon'] as const
  ).map((name) => NUMERIC_TESTS[name]!(reference, window, t.tests[name], exact));
  const wassersteinRaw: TestRow = {
    method: 'wasserstein_raw',
    statistic: raw.distance,
    pValue: null,
    threshold: null,
    drifted: false,
    basis: 'binned',
    detail: { error_bound: raw.errorBound },
  };
  return [ks!, wasserstein!, wassersteinRaw, psiTest!, jensenShannon!];
}

/** Every categorical test from the two count states (both non-empty), and the share of unseen categories. */
export function categoricalTests(
  reference: CategoryCounts,
  window: CategoryCounts,
  t: RowThresholds,
): TestRow[] {
  const aligned = alignCategories(reference, window);
  const rows = (['chi2', 'psi', 'jensen_shannon'] as const).map((name) =>
    CATEGORICAL_TESTS[name]!(reference, window, t.tests[name], aligned),
  );
  const unseen = unseenCategoryShare(reference, window);
  return [
    ...rows,
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
