import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../services/report/src/model.ts';
import { estimationRows as rows, HOUR, T0 } from './estimation-rows.ts';
import { renderHtml } from '../../../services/report/src/html.ts';
import { renderTerminal } from '../../../services/report/src/terminal.ts';

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

  it('shouldPutTheEstimatesAndTheRankingOnTheHtmlPageWhenThereAreEstimates', () => {
    const page = renderHtml(buildReport(rows(), ctx));
    expect(page).toContain('<h2>Estimated before labels (CBPE)</h2>');
    expect(page).toContain('<td class="num">labels pending</td>');
    expect(page).toMatch(/<td class="num">1<\/td><td>x0<\/td><td class="num">0\.993<\/td>/);
    expect(renderHtml(buildReport({ ...rows(), estimates: [] }, ctx))).not.toContain(
      'Estimated before labels',
    );
  });
});
