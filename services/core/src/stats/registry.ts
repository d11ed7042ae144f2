/**
 * Registry of drift tests (Evidently-style): descriptors looked up by name, one
 * result shape for all, and a default chooser that records why it chose.
 *
 * Drift decision: p-value tests drift when p ≤ threshold, distance tests when
 * statistic ≥ threshold (Evidently's chisquare uses p < t; at a p-value exactly
 * equal to the threshold the two differ).
 */

import { UnknownStatTestError, UnsupportedFeatureTypeError } from './errors.ts';
import { IMPLEMENTATIONS } from './stattest-implementations.ts';
import type {
  Column,
  DriftOutcome,
  FeatureType,
  StatTestDescriptor,
  StatTestName,
} from './stattest-types.ts';

/** The registered tests (Evidently's default thresholds). */
export const STAT_TESTS: Readonly<Record<StatTestName, StatTestDescriptor>> = {
  ks: {
    name: 'ks',
    displayName: 'Kolmogorov–Smirnov p-value',
    featureTypes: ['numeric'],
    defaultThreshold: 0.05,
    direction: 'p_value_at_most',
  },
  wasserstein: {
    name: 'wasserstein',
    displayName: 'Wasserstein distance (normed by reference std)',
    featureTypes: ['numeric'],
    defaultThreshold: 0.1,
    direction: 'distance_at_least',
  },
  psi: {
    name: 'psi',
    displayName: 'Population Stability Index',
    featureTypes: ['numeric', 'categorical'],
    defaultThreshold: 0.1,
    direction: 'distance_at_least',
  },
  jensen_shannon: {
    name: 'jensen_shannon',
    displayName: 'Jensen–Shannon distance (base 2)',
    featureTypes: ['numeric', 'categorical'],
    defaultThreshold: 0.1,
    direction: 'distance_at_least',
  },
  chi2: {
    name: 'chi2',
    displayName: 'Chi-square p-value',
    featureTypes: ['categorical'],
    defaultThreshold: 0.05,
    direction: 'p_value_at_most',
  },
};

/** Names of all registered tests. */
export const STAT_TEST_NAMES = Object.keys(STAT_TESTS) as StatTestName[];

/** Reference size up to which the exact/p-value tests are chosen (Evidently). */
export const SMALL_REFERENCE_MAX = 1000;

/**
 * Look a test up by name.
 *
 * @param name - a registered name
 * @throws {UnknownStatTestError} unknown name; the message lists the valid names (not retriable)
 * @example
 * getStatTest('psi').defaultThreshold; // 0.1
 */
export function getStatTest(name: string): StatTestDescriptor {
  const found = (STAT_TESTS as Record<string, StatTestDescriptor | undefined>)[name];
  if (!found) throw new UnknownStatTestError(name, STAT_TEST_NAMES);
  return found;
}

/** A chosen test and why. */
export interface StatTestChoice {
  name: StatTestName;
  /** true when chosen by {@link chooseStatTest}, false when requested */
  automatic: boolean;
  reason: string;
}

/**
 * Evidently's default: by feature type and reference size (non-missing values):
 * numeric ≤ 1000 → ks, else wasserstein (normed); categorical ≤ 1000 → chi2,
 * else jensen_shannon. (Evidently uses a z-test for two categories and chi2/JS
 * for numeric features with ≤ 5 distinct values; chi2 covers two categories and
 * histograms do not know distinct counts, so those rules are not applied.)
 *
 * @param column - the feature's states
 * @example
 * chooseStatTest(column); // { name: 'wasserstein', automatic: true, reason: 'numeric, reference n=5000 > 1000' }
 */
export function chooseStatTest(column: Column): StatTestChoice {
  const n = column.reference.n;
  const small = n <= SMALL_REFERENCE_MAX;
  const name: StatTestName =
    column.type === 'numeric' ? (small ? 'ks' : 'wasserstein') : small ? 'chi2' : 'jensen_shannon';
  const relation = small ? `≤ ${SMALL_REFERENCE_MAX}` : `> ${SMALL_REFERENCE_MAX}`;
  return { name, automatic: true, reason: `${column.type}, reference n=${n} ${relation}` };
}

function insufficiency(column: Column): string | null {
  const side = (label: string, s: { n: number; missing: number }): string | null =>
    s.n === 0 ? `${label} has no non-missing values (${s.missing} missing)` : null;
  return side('reference', column.reference) ?? side('window', column.window);
}

/**
 * Run a named test on a column.
 *
 * @param name - registered test name
 * @param column - the feature's states
 * @param threshold - drift threshold (@default the test's default)
 * @returns a {@link DriftResult}, or {@link InsufficientData} when a side is empty
 * @throws {UnknownStatTestError} unknown name (not retriable)
 * @throws {UnsupportedFeatureTypeError} test does not apply to the column's type (not retriable)
 * @example
 * runStatTest('psi', column); // { kind: 'result', method: 'psi', statistic, pValue: null, threshold: 0.1, drifted, basis }
 */
export function runStatTest(name: string, column: Column, threshold?: number): DriftOutcome {
  const test = getStatTest(name);
  if (!test.featureTypes.includes(column.type as FeatureType)) {
    throw new UnsupportedFeatureTypeError(test.name, column.type, test.featureTypes);
  }
  const t = threshold ?? test.defaultThreshold;
  const reason = insufficiency(column);
  if (reason !== null) return { kind: 'insufficient', method: test.name, threshold: t, reason };
  const { statistic, pValue, basis } = IMPLEMENTATIONS[test.name](column);
  const drifted = test.direction === 'p_value_at_most' ? (pValue as number) <= t : statistic >= t;
  return { kind: 'result', method: test.name, statistic, pValue, threshold: t, drifted, basis };
}

/**
 * Detect drift on a column with a requested test or the default chooser, and
 * record which test ran and why.
 *
 * @param column - the feature's states
 * @param options - `test` to force a test, `threshold` to override its default
 * @throws {UnknownStatTestError} unknown test name (not retriable)
 * @throws {UnsupportedFeatureTypeError} test does not apply to the column's type (not retriable)
 * @example
 * detectDrift(column).choice.reason; // 'categorical, reference n=200 ≤ 1000'
 */
export function detectDrift(
  column: Column,
  options: { test?: string; threshold?: number } = {},
): DriftOutcome & { choice: StatTestChoice } {
  const choice: StatTestChoice = options.test
    ? { name: getStatTest(options.test).name, automatic: false, reason: 'requested' }
    : chooseStatTest(column);
  return { ...runStatTest(choice.name, column, options.threshold), choice };
}
