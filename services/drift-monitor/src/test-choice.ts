import { STAT_TESTS } from '../../core/src/stats/registry.ts';
import type { FeatureType, StatTestName } from '../../core/src/stats/stattest-types.ts';
import type { FeatureTestOverride } from './feature-tests.ts';

/** The test that decides a column's drift, and why it was chosen (written to drift_metrics.reason). */
export interface TestChoice {
  name: StatTestName;
  threshold: number;
  automatic: boolean;
  reason: string;
}

/**
 * The default test by type and window size, or the configured one. Small windows get a p-value test (ks,
 * chi2): with few values, sampling noise alone moves a distance, and a p-value accounts for it. Large windows
 * get a distance (wasserstein normed by the reference std, jensen_shannon): a p-value test then flags any
 * difference, however small, because its power grows with n, while a distance threshold states how much
 * change matters. The crossover (default 1000 values) is where a KS test at 5% starts to detect shifts
 * smaller than the Wasserstein threshold of 0.1 reference std (Evidently applies the same 1000 to the
 * reference size; in a stream the window is the small sample, so it decides).
 *
 * @param kind - the column's type in the profile
 * @param windowN - non-missing values of the column in the window
 * @param override - a per-feature test and/or threshold from DRIFTLINE_DRIFT_FEATURE_TESTS
 * @param thresholds - default threshold per test
 * @param largeWindow - the crossover
 * @example chooseTest('numeric', 1000, undefined, t, 1000).name // 'ks'
 */
export function chooseTest(
  kind: FeatureType,
  windowN: number,
  override: FeatureTestOverride | undefined,
  thresholds: Record<StatTestName, number>,
  largeWindow: number,
): TestChoice {
  const small = windowN <= largeWindow;
  const automatic: StatTestName =
    kind === 'numeric' ? (small ? 'ks' : 'wasserstein') : small ? 'chi2' : 'jensen_shannon';
  const relation = small ? `<= ${largeWindow}` : `> ${largeWindow}`;
  let reason = `${kind}, window n=${windowN} ${relation}`;
  let name: StatTestName = automatic;
  let isAutomatic = true;
  if (override?.test !== undefined) {
    if (STAT_TESTS[override.test].featureTypes.includes(kind)) {
      name = override.test;
      isAutomatic = false;
      reason = 'configured';
    } else reason += ` (configured ${override.test} does not apply to ${kind})`;
  }
  const threshold = override?.threshold ?? thresholds[name];
  if (override?.threshold !== undefined) reason += `, threshold ${override.threshold} configured`;
  return { name, threshold, automatic: isAutomatic, reason };
}
