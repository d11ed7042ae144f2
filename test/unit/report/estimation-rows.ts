/**
 * Estimated figures and drift rows of one version over six hourly windows: the estimated accuracy falls as x0
 * drifts while x1's drift goes up and down regardless; the first three windows have their realized figure.
 * Used by test/integration/report-estimates.test.ts too.
 */
import type { DriftRow, EstimateRow, ReportRows } from '../../../services/report/src/rows.ts';

export const HOUR = 3_600_000;
export const T0 = Date.parse('2026-03-01T00:00:00Z');
// Estimated accuracy falls as x0 drifts; x1's drift statistic goes up and down regardless.
const ESTIMATED = [0.9, 0.88, 0.84, 0.8, 0.75, 0.7];
const X0 = [0.02, 0.05, 0.07, 0.12, 0.16, 0.23];
const X1 = [0.05, 0.01, 0.05, 0.01, 0.05, 0.01];

function estimate(
  i: number,
  metric: string,
  realized: number | null,
  more: Partial<EstimateRow> = {},
): EstimateRow {
  const value = metric === 'accuracy' ? ESTIMATED[i]! : 0.5;
  return {
    version: 'v1',
    windowSize: '1h',
    startMs: T0 + i * HOUR,
    endMs: T0 + (i + 1) * HOUR,
    metric,
    estimate: value,
    bandLow: value - 0.02,
    bandHigh: value + 0.02,
    samples: 1000,
    realized,
    error: realized === null ? null : realized - value,
    outsideBand: false,
    conceptDrift: false,
    baseline: metric === 'accuracy' ? 0.9 : null,
    ...more,
  };
}

function drift(i: number, feature: string, statistic: number): DriftRow {
  return {
    version: 'v1',
    startMs: T0 + i * HOUR,
    endMs: T0 + (i + 1) * HOUR,
    feature,
    method: 'ks',
    statistic,
    pValue: null,
    threshold: null,
    drifted: statistic > 0.1,
    samples: 1000,
  };
}

export function estimationRows(): ReportRows {
  const estimates = ESTIMATED.flatMap((_, i) => [
    // The first three windows have their labels (the third's realized figure is outside the band).
    estimate(i, 'accuracy', i < 2 ? ESTIMATED[i]! + 0.01 : i === 2 ? 0.7 : null, { outsideBand: i === 2 }),
    estimate(i, 'f1_macro', null),
  ]);
  const driftRows = ESTIMATED.flatMap((_, i) => [
    drift(i, 'x0', X0[i]!),
    drift(i, 'x1', X1[i]!),
    drift(i, '__dataset__', 0.5),
  ]);
  return { performance: [], drift: driftRows, alerts: [], estimates, missingTables: [], truncated: [] };
}
