/**
 * Types shared by the drift-test registry: feature columns as window/reference
 * states, test descriptors and the one result shape every test returns.
 */

import type { CategoryCounts } from './category-counts.ts';
import type { NumericHistogram } from './numeric-histogram.ts';

/** Kind of feature a test applies to. */
export type FeatureType = 'numeric' | 'categorical';

/** Registered drift tests. */
export type StatTestName = 'ks' | 'wasserstein' | 'psi' | 'jensen_shannon' | 'chi2';

/**
 * When a test reports drift: `p_value_at_most` means p ≤ threshold,
 * `distance_at_least` means statistic ≥ threshold.
 */
export type Direction = 'p_value_at_most' | 'distance_at_least';

/** What a test is, separate from how it is computed (Evidently's StatTest). */
export interface StatTestDescriptor {
  readonly name: StatTestName;
  readonly displayName: string;
  readonly featureTypes: readonly FeatureType[];
  readonly defaultThreshold: number;
  readonly direction: Direction;
}

/**
 * A numeric feature: histograms over shared edges, and optionally the raw finite
 * values of both sides (small windows). With both samples, `ks` and
 * `wasserstein` are computed exactly; otherwise from the histograms.
 */
export interface NumericColumn {
  readonly type: 'numeric';
  readonly reference: NumericHistogram;
  readonly window: NumericHistogram;
  readonly referenceSample?: ArrayLike<number>;
  readonly windowSample?: ArrayLike<number>;
}

/** A categorical feature: category counts of both sides. */
export interface CategoricalColumn {
  readonly type: 'categorical';
  readonly reference: CategoryCounts;
  readonly window: CategoryCounts;
}

/** Input of every test. */
export type Column = NumericColumn | CategoricalColumn;

/** A computed test. Every test returns this shape. */
export interface DriftResult {
  readonly kind: 'result';
  readonly method: StatTestName;
  readonly statistic: number;
  /** p-value for `ks` and `chi2`, null for distance tests */
  readonly pValue: number | null;
  readonly threshold: number;
  readonly drifted: boolean;
  /**
   * `exact` from raw samples or category counts; `summary` from a reference quantile summary (KS within
   * 1/size); `binned` from histograms (approximate)
   */
  readonly basis: 'exact' | 'binned' | 'summary';
}

/**
 * No result: a side has no non-missing value. Deliberately not a DriftResult, so
 * a NaN statistic can never be mistaken for "no drift".
 */
export interface InsufficientData {
  readonly kind: 'insufficient';
  readonly method: StatTestName;
  readonly threshold: number;
  readonly reason: string;
}

/** Outcome of running a test on a column. */
export type DriftOutcome = DriftResult | InsufficientData;
