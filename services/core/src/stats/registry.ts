/**
 * The one registry of drift tests (Evidently-style): descriptors looked up by name, the default chooser that
 * records why it chose, and one result shape for all. The drift monitor and every other caller choose and
 * run tests here; the computation from states is column-tests.ts.
 *
 * Drift decision: p-value tests drift when p ≤ threshold, distance tests when
 * statistic ≥ threshold (Evidently's chisquare uses p < t; at a p-value exactly
 * equal to the threshold the two differ).
 */

import { CATEGORICAL_TESTS, NUMERIC_TESTS, type ExactValues, type TestRow } from './column-tests.ts';
import { UnknownStatTestError, UnsupportedFeatureTypeError } from './errors.ts';
import { referenceSample } from './sample-ks.ts';
import { finiteValues } from './sample.ts';
import type {
  Column,
  DriftOutcome,
  FeatureType,
  NumericColumn,
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

/** Each test's default threshold (Evidently's). */
export const DEFAULT_THRESHOLDS = Object.fromEntries(
  STAT_TEST_NAMES.map((n) => [n, STAT_TESTS[n].defaultThreshold]),
) as Readonly<Record<StatTestName, number>>;

/** Window size (non-missing values) up to which the default test is a p-value test. @default 1000 */
export const DEFAULT_LARGE_WINDOW = 1000;

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

/** A test and/or threshold asked for (per feature: DRIFTLINE_DRIFT_FEATURE_TESTS). */
export interface StatTestRequest {
  test?: StatTestName;
  threshold?: number;
}

/** The test that decides a column's drift, its threshold, and why it was chosen (drift_metrics.reason). */
export interface StatTestChoice {
  name: StatTestName;
  threshold: number;
  /** true when chosen by the default rule, false when requested */
  automatic: boolean;
  reason: string;
}

/**
 * The default test by type and window size, or the requested one. Small windows get a p-value test (ks,
 * chi2): with few values, sampling noise alone moves a distance, and a p-value accounts for it. Large windows
 * get a distance (wasserstein normed by the reference std, jensen_shannon): a p-value test then flags any
 * difference, however small, because its power grows with n, while a distance threshold states how much
 * change matters. The crossover (default 1000 values) is where a KS test at 5% starts to detect shifts
 * smaller than the Wasserstein threshold of 0.1 reference std (Evidently applies the same 1000 to the
 * reference size; in a stream the window is the small sample, so it decides). A requested test that does not
 * apply to the type is set aside, and the reason says so.
 *
 * @param type - the column's type
 * @param windowN - non-missing values of the column in the window
 * @param request - a requested test and/or threshold
 * @param thresholds - default threshold per test (@default DEFAULT_THRESHOLDS)
 * @param largeWindow - the crossover (@default DEFAULT_LARGE_WINDOW)
 * @example chooseStatTest('numeric', 1000).name // 'ks'
 */
export function chooseStatTest(
  type: FeatureType,
  windowN: number,
  request?: StatTestRequest,
  thresholds: Readonly<Record<StatTestName, number>> = DEFAULT_THRESHOLDS,
  largeWindow = DEFAULT_LARGE_WINDOW,
): StatTestChoice {
  const small = windowN <= largeWindow;
  let name: StatTestName =
    type === 'numeric' ? (small ? 'ks' : 'wasserstein') : small ? 'chi2' : 'jensen_shannon';
  let reason = `${type}, window n=${windowN} ${small ? '<=' : '>'} ${largeWindow}`;
  let automatic = true;
  if (request?.test !== undefined) {
    if (STAT_TESTS[request.test].featureTypes.includes(type)) {
      name = request.test;
      automatic = false;
      reason = 'configured';
    } else reason += ` (configured ${request.test} does not apply to ${type})`;
  }
  if (request?.threshold !== undefined) reason += `, threshold ${request.threshold} configured`;
  return { name, threshold: request?.threshold ?? thresholds[name], automatic, reason };
}

function insufficiency(column: Column): string | null {
  const side = (label: string, s: { n: number; missing: number }): string | null =>
    s.n === 0 ? `${label} has no non-missing values (${s.missing} missing)` : null;
  return side('reference', column.reference) ?? side('window', column.window);
}

/** The raw values of a column that carries both samples, in the form the exact tests take. */
function exactValues(column: NumericColumn): ExactValues | undefined {
  if (!column.referenceSample || !column.windowSample) return undefined;
  const reference = finiteValues(column.referenceSample).sort();
  const window = finiteValues(column.windowSample);
  return { reference: reference.length > 0 ? referenceSample(reference) : undefined, window };
}

function testRow(name: StatTestName, column: Column, threshold: number): TestRow {
  if (column.type === 'numeric')
    return NUMERIC_TESTS[name]!(column.reference, column.window, threshold, exactValues(column));
  return CATEGORICAL_TESTS[name]!(column.reference, column.window, threshold);
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
  const { statistic, pValue, basis, drifted } = testRow(test.name, column, t);
  return { kind: 'result', method: test.name, statistic, pValue, threshold: t, drifted, basis };
}

/**
 * Detect drift on a column with a requested test or the default chooser (by window size), and
 * record which test ran and why.
 *
 * @param column - the feature's states
 * @param options - `test` to request a test, `threshold` to override its default
 * @throws {UnknownStatTestError} unknown test name (not retriable)
 * @example
 * detectDrift(column).choice.reason; // 'categorical, window n=200 <= 1000'
 */
export function detectDrift(
  column: Column,
  options: { test?: string; threshold?: number } = {},
): DriftOutcome & { choice: StatTestChoice } {
  const test = options.test === undefined ? undefined : getStatTest(options.test).name;
  const choice = chooseStatTest(column.type, column.window.n, { test, threshold: options.threshold });
  return { ...runStatTest(choice.name, column, choice.threshold), choice };
}
