import type { CategoryCounts } from '../../core/src/stats/category-counts.ts';
import { multipleTests } from '../../core/src/stats/multiple-testing.ts';
import type { NumericHistogram } from '../../core/src/stats/numeric-histogram.ts';
import {
  categoricalTests,
  missingRateRow,
  numericTests,
  type TestRow,
} from '../../core/src/stats/column-tests.ts';
import { chooseStatTest, STAT_TESTS, type StatTestChoice } from '../../core/src/stats/registry.ts';
import type { StatTestName } from '../../core/src/stats/stattest-types.ts';
import type { FeatureTestOverride } from './feature-tests.ts';
import { evaluateEmbeddings, type EmbeddingEvaluation } from './embedding-evaluation.ts';
import { evaluateMultivariate, type MultivariateEvaluation } from './multivariate-evaluation.ts';
import type { ColumnRole, ProfileColumn, ReferenceProfile } from './profile.ts';
import type { WindowPartial } from './window-partials.ts';

export type Correction = 'none' | 'bonferroni' | 'bh';

/** What the tests at window close need from the configuration (see settings.ts). */
export interface DriftTestConfig {
  thresholds: Record<StatTestName, number>;
  featureTests: ReadonlyMap<string, FeatureTestOverride>;
  largeWindow: number;
  correction: Correction;
  driftShare: number;
  missingAlpha: number;
  unseenShare: number;
}

export interface ColumnEvaluation {
  name: string;
  role: ColumnRole;
  kind: 'numeric' | 'categorical';
  /** non-missing values in the window / in the reference */
  windowN: number;
  referenceN: number;
  /** observations in the window, missing included */
  total: number;
  rows: TestRow[];
  /** the test deciding the column's drift; null when the window has no value of it */
  choice: StatTestChoice | null;
  decisive: TestRow | null;
  /** the decisive p-value after the correction (input features only) */
  adjustedP: number | null;
}

export interface DatasetDrift {
  share: number;
  drifted: boolean;
  threshold: number;
  /** features with a decision (a window with no value of a feature does not count) */
  tested: number;
  driftedFeatures: string[];
  correction: Correction;
}

export interface WindowEvaluation {
  columns: ColumnEvaluation[];
  dataset: DatasetDrift;
  /** Reconstruction-error drift; null without a multivariate profile or events. */
  multivariate: MultivariateEvaluation | null;
  /** One verdict per embedding the window has vectors of. */
  embeddings: EmbeddingEvaluation[];
}

function evaluateColumn(
  column: ProfileColumn,
  state: NumericHistogram | CategoryCounts,
  windowValues: Float64Array | null,
  config: DriftTestConfig,
): ColumnEvaluation {
  const ref = column.reference;
  const missing = missingRateRow(ref, state, config.missingAlpha);
  const out: ColumnEvaluation = {
    name: column.name,
    role: column.role,
    kind: column.kind,
    windowN: state.n,
    referenceN: ref.n,
    total: state.total,
    rows: missing ? [missing] : [],
    choice: null,
    decisive: null,
    adjustedP: null,
  };
  if (state.n === 0 || ref.n === 0) return out;
  const rowThresholds = {
    tests: config.thresholds,
    missingAlpha: config.missingAlpha,
    unseenShare: config.unseenShare,
  };
  const tests =
    column.kind === 'numeric'
      ? numericTests(ref as NumericHistogram, state as NumericHistogram, rowThresholds, {
          reference: column.sample,
          window: windowValues,
        })
      : categoricalTests(ref as CategoryCounts, state as CategoryCounts, rowThresholds);
  const choice = chooseStatTest(
    column.kind,
    state.n,
    config.featureTests.get(column.name),
    config.thresholds,
    config.largeWindow,
  );
  const decisive = tests.find((r) => r.method === choice.name) as TestRow;
  decisive.threshold = choice.threshold;
  decisive.drifted = isDrift(choice.name, decisive.statistic, decisive.pValue, choice.threshold);
  out.rows.unshift(...tests);
  return { ...out, choice, decisive };
}

function isDrift(test: StatTestName, statistic: number, p: number | null, threshold: number): boolean {
  return STAT_TESTS[test].direction === 'p_value_at_most'
    ? (p as number) <= threshold
    : statistic >= threshold;
}

/**
 * Adjusts the decisive p-values of the input features for multiple testing (one family per window) and
 * re-decides them: drifted when the adjusted p-value is at most the feature's threshold. For BH this is the
 * Benjamini-Hochberg rejection at that level; the output columns are a separate question and not adjusted.
 */
function correct(columns: ColumnEvaluation[], correction: Correction): void {
  const family = columns.filter((c) => c.role === 'feature' && c.decisive?.pValue != null);
  const pValues = family.map((c) => c.decisive!.pValue as number);
  const adjusted =
    correction === 'none' || family.length === 0
      ? pValues
      : multipleTests(pValues, correction === 'bh' ? 'fdr_bh' : 'bonferroni').pValuesCorrected;
  family.forEach((c, i) => {
    const p = adjusted[i] as number;
    c.adjustedP = p;
    c.decisive!.drifted = p <= (c.decisive!.threshold as number);
  });
}

/**
 * Runs every test of every profile column on a window's merged state, decides each column with its chosen
 * test (after the correction for input features), and the dataset drift: the share of input features that
 * drifted against DRIFTLINE_DRIFT_SHARE (Evidently's drift share).
 */
export function evaluateWindow(
  profile: ReferenceProfile,
  window: WindowPartial,
  config: DriftTestConfig,
): WindowEvaluation {
  const columns = profile.columns.map((c, i) =>
    evaluateColumn(
      c,
      window.states[i] as NumericHistogram | CategoryCounts,
      window.samples[i]?.values() ?? null,
      config,
    ),
  );
  correct(columns, config.correction);
  const decided = columns.filter((c) => c.role === 'feature' && c.decisive !== null);
  const driftedFeatures = decided.filter((c) => c.decisive!.drifted).map((c) => c.name);
  const share = decided.length === 0 ? 0 : driftedFeatures.length / decided.length;
  return {
    columns,
    dataset: {
      share,
      drifted: decided.length > 0 && share >= config.driftShare,
      threshold: config.driftShare,
      tested: decided.length,
      driftedFeatures,
      correction: config.correction,
    },
    multivariate: evaluateMultivariate(profile, window),
    embeddings: evaluateEmbeddings(profile, window),
  };
}
