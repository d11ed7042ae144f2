import { ALERTS } from '../../core/src/tables/alerts.ts';
import { DRIFT_METRICS } from '../../core/src/tables/drift-metrics.ts';
import { PERFORMANCE_METRICS } from '../../core/src/tables/performance-metrics.ts';

/** What the report reads from ClickHouse, one shape per table, times in epoch milliseconds. */

/** A performance_metrics row (FINAL: the newest revision of its window). */
export interface PerformanceRow {
  version: string;
  windowSize: string;
  startMs: number;
  endMs: number;
  metric: string;
  value: number;
  samples: number;
  final: boolean;
}

/** A drift_metrics row of a decisive test (FINAL: the latest computation of its window). */
export interface DriftRow {
  version: string;
  startMs: number;
  endMs: number;
  feature: string;
  method: string;
  statistic: number;
  pValue: number | null;
  threshold: number | null;
  drifted: boolean;
  samples: number;
  /**
   * Where a two-sided band is centred (the `__multivariate__` row: the reference's mean reconstruction
   * error); absent for other rows, whose "no change" is 0.
   */
  center?: number | null;
}

/** An alerts row: the fields of the Alert record the report shows. */
export interface AlertRow {
  alertId: string;
  version: string;
  kind: string;
  severity: string;
  status: string;
  windowStartMs: number;
  windowEndMs: number;
  /** When it was raised: created_at when the table has it, else the window end. */
  atMs: number;
  metric: string;
  value: number | null;
  threshold: number | null;
  message: string;
}

/** A performance_estimates row (FINAL: revision 1 once the realized figure is final, else the estimate). */
export interface EstimateRow {
  version: string;
  windowSize: string;
  startMs: number;
  endMs: number;
  metric: string;
  estimate: number;
  bandLow: number;
  bandHigh: number;
  samples: number;
  realized: number | null;
  /** Realized − estimate, once realized. */
  error: number | null;
  outsideBand: boolean;
  conceptDrift: boolean;
  /** The accuracy of the estimator's calibration data (accuracy rows), else null. */
  baseline: number | null;
}

/** The tables the report reads. */
export const REPORT_TABLES = [PERFORMANCE_METRICS, DRIFT_METRICS, ALERTS] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

/** Everything read for one report, with the tables that were not there (not yet migrated or deployed). */
export interface ReportRows {
  performance: PerformanceRow[];
  drift: DriftRow[];
  alerts: AlertRow[];
  /** Estimated figures; absent or empty when the estimator wrote none (its table is optional). */
  estimates?: EstimateRow[];
  missingTables: ReportTable[];
  /** Tables that held more rows than the report reads at most. */
  truncated: ReportTable[];
  /** Why the alerts table exists but could not be read (its columns are not the expected ones). */
  alertsProblem?: string;
}
