import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../services/report/src/model.ts';
import type { DriftRow, EstimateRow, ReportRows } from '../../../services/report/src/rows.ts';
import { renderTerminal } from '../../../services/report/src/terminal.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
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

function rows(): ReportRows {
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

const ctx = {
  modelId: 'churn',
  database: 'ml_monitor',
  range: { fromMs: T0, toMs: T0 + 24 * HOUR },
  generatedAtMs: 0,
};

describe('the estimation part of the report', () => {
  it('shouldShowEachWindowsEstimateBesideItsRealizedFigureOrThatLabelsArePending', () => {
    const e = buildReport(rows(), ctx).estimation;
    expect(e.windowSize).toBe('1h');
    expect(e.windows.map((w) => [w.realizedAccuracy, w.status])).toEqual([
      [0.91, 'within band'],
      [0.89, 'within band'],
      [0.7, 'OUTSIDE band'],
      [null, 'awaiting labels'],
      [null, 'awaiting labels'],
      [null, 'awaiting labels'],
    ]);
    const text = renderTerminal(buildReport(rows(), ctx)).split('\n\n');
    const table = text[4]!.split('\n');
    expect(table[0]).toBe('Estimated performance before labels (CBPE) beside realized, per 1h window');
    expect(table[1]).toMatch(
      /^window start\s+version\s+est\. accuracy\s+95% band\s+realized\s+error\s+est\. f1_macro/,
    );
    expect(table[3]).toMatch(
      /^2026-03-01 00:00 {2}v1 +0\.900 {2}0\.880-0\.920 +0\.910 +\+0\.010 +0\.500 +- +1,000 {2}within band$/,
    );
    expect(table[5]).toMatch(/0\.700 +-0\.140 .*OUTSIDE band$/);
    expect(table[8]).toMatch(/^2026-03-01 05:00 {2}v1 +0\.700 .*\(labels pending\) .*awaiting labels$/);
  });

  it('shouldRankTheFeatureWhoseDriftMovesWithTheEstimatedAccuracyFirst', () => {
    const [ranking] = buildReport(rows(), ctx).estimation.rankings;
    expect(ranking!.reference).toBe(0.9);
    expect(ranking!.features.map((f) => [f.feature, f.windows])).toEqual([
      ['x0', 6],
      ['x1', 6],
    ]);
    // scipy.stats.pearsonr(X0, |ESTIMATED - 0.9|) = (0.9933793530168389, 6.56043484148306e-05)
    expect(ranking!.features[0]!.correlation).toBeCloseTo(0.9933793530168389, 12);
    const text = renderTerminal(buildReport(rows(), ctx)).split('\n\n')[5]!;
    expect(text).toContain("v1 (change from the calibration data's accuracy 0.900):");
    expect(text).toMatch(/ {2}1\. x0: r 0\.993 \(p <0\.001, 6 windows, drifted\)/);
  });

  it('shouldLeaveTheTerminalReportAsItWasWhenThereAreNoEstimates', () => {
    const text = renderTerminal(buildReport({ ...rows(), estimates: [] }, ctx));
    expect(text).not.toContain('Estimated performance');
  });
});
