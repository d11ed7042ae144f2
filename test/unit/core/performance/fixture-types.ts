/** Shapes of the JSON files written by test/fixtures/generate/performance_reference.py. */

export interface ClassificationCase {
  readonly name: string;
  readonly labels: string[] | null;
  readonly y_true: string[];
  readonly y_pred: string[];
  /** Rows aligned with `labels`, or null for label-only cases. */
  readonly scores: number[][] | null;
  readonly metrics: Record<string, number>;
  readonly reference: Record<string, number>;
  readonly confusion: { labels: string[]; matrix: number[][] };
}

export interface ClassificationFixture {
  readonly options: {
    calibrationBins: number;
    aucBins: number;
    logLossEpsilon: number;
    machineEpsilon: number;
  };
  readonly cases: ClassificationCase[];
}

export interface RegressionCase {
  readonly name: string;
  readonly y_true: number[];
  readonly y_pred: number[];
  readonly metrics: Record<string, number>;
}

export interface RegressionFixture {
  readonly cases: RegressionCase[];
}

export interface AccuracyComparisonCase {
  readonly baseline: { successes: number; trials: number };
  readonly candidate: { successes: number; trials: number };
  readonly z: number;
  readonly z_p_value: number;
  readonly chi2: number;
  readonly chi2_p_value: number;
  readonly verdict: string;
}

export interface RegressionComparisonCase {
  readonly name: string;
  readonly baseline: { y_true: number[]; y_pred: number[] };
  readonly candidate: { y_true: number[]; y_pred: number[] };
  readonly t: number;
  readonly p_value: number;
  readonly df: number;
  readonly t_from_stats: number;
  readonly p_value_from_stats: number;
  readonly verdict: string;
}

export interface ComparisonFixture {
  readonly alpha: number;
  readonly accuracy: AccuracyComparisonCase[];
  readonly regression: RegressionComparisonCase[];
  readonly p_values: {
    student_t: { t: number; df: number; p_value: number }[];
    normal: { z: number; p_value: number }[];
    chi_square: { x: number; df: number; p_value: number }[];
  };
}
