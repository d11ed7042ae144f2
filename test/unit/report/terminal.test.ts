import { describe, expect, it } from 'vitest';
import { formatCount, formatSpan, formatTime, formatValue } from '../../../services/report/src/format.ts';
import { buildReport } from '../../../services/report/src/model.ts';
import { renderTerminal } from '../../../services/report/src/terminal.ts';
import { FIXTURE_MODEL, FIXTURE_RANGE, fixtureRows } from './fixture-rows.ts';

const ctx = { modelId: FIXTURE_MODEL, database: 'ml_monitor', range: FIXTURE_RANGE, generatedAtMs: 0 };
const report = buildReport(fixtureRows(), ctx);

describe('renderTerminal', () => {
  it('shouldStartWithTheModelVersionsAndRangeInUtc', () => {
    expect(renderTerminal(report).split('\n').slice(0, 2)).toEqual([
      'Driftline report: model churn, version v1, v2',
      '2026-03-01 00:00 to 2026-03-02 00:00 UTC, database ml_monitor',
    ]);
  });

  it('shouldShowTheNewestWindowsWithEveryHeadlineMetricWhenThereAreMoreThanTheLimit', () => {
    const text = renderTerminal(report, 4);
    const perf = text.split('\n\n')[1]!.split('\n');
    expect(perf[0]).toBe('Performance per 1h window');
    expect(perf[1]).toBe('(32 older rows not shown)');
    expect(perf[2]).toMatch(/^window start\s+version\s+accuracy\s+f1_macro\s+samples\s+final$/);
    expect(perf).toHaveLength(3 + 1 + 4);
    expect(perf.at(-1)).toMatch(/^2026-03-01 23:00 {2}v2 +0\.\d{3} +0\.\d{3} +\d{3} {2}open$/);
  });

  it('shouldListDriftedFeaturesAndConceptDriftWhenFeaturesDrifted', () => {
    const drift = renderTerminal(report, 2).split('\n\n')[2]!;
    expect(drift).toContain('3/6    50%  DRIFT    income, tenure_months, prediction');
    expect(drift).toContain(
      'concept drift: adwin on v1 at 2026-03-01 16:30 (mean error 0.190 over 14,000 labeled predictions)',
    );
  });

  it('shouldShowAlertsOldestFirstWithTheirCounts', () => {
    const alerts = renderTerminal(report).split('\n\n')[3]!.split('\n');
    expect(alerts[0]).toBe('Alerts (6 events, 3 firing now)');
    expect(alerts[3]).toMatch(
      /^2026-03-01 06:02 {2}v1 {7}INFO {6}LATENCY +FIRING +latency_p99_ms +212\.0 +200\.0/,
    );
    expect(alerts.at(-1)).toMatch(/CRITICAL +PERFORMANCE +FIRING +accuracy +0\.830 +0\.850 +accuracy 0\.83/);
  });

  it('shouldSaySoInEachSectionAndListNotesWhenTablesAreMissing', () => {
    const empty = buildReport(
      { performance: [], drift: [], alerts: [], missingTables: ['alerts'], truncated: [] },
      { ...ctx, version: 'v3' },
    );
    expect(renderTerminal(empty)).toBe(
      [
        'Driftline report: model churn, version v3',
        '2026-03-01 00:00 to 2026-03-02 00:00 UTC, database ml_monitor',
        '',
        'Performance',
        '(no performance rows in this range)',
        '',
        'Drift (decisive test per feature)',
        '(no drift rows in this range)',
        '',
        'Alerts (0 events, 0 firing now)',
        '(no alerts in this range)',
        '',
        'Notes',
        '- table ml_monitor.alerts does not exist yet (it is written by the alerter): nothing shown',
        '',
      ].join('\n'),
    );
  });
});

describe('format', () => {
  it('shouldFormatValuesCompactlyAndDashWhenAbsent', () => {
    expect([0.91234, 0, 212, 12345.6, 2e-5, 3e9, null, NaN].map(formatValue)).toEqual([
      '0.912',
      '0.000',
      '212.0',
      '12346',
      '2.0e-5',
      '3.00e+9',
      '-',
      '-',
    ]);
    expect(formatCount(14000)).toBe('14,000');
    expect(formatTime(Date.parse('2026-03-01T06:02:59Z'))).toBe('2026-03-01 06:02');
    const t = Date.parse('2026-03-01T20:00:00Z');
    expect(formatSpan(t, t + 3_600_000)).toBe('2026-03-01 20:00-21:00');
    expect(formatSpan(t, t + 86_400_000)).toBe('2026-03-01 20:00 to 2026-03-02 20:00');
  });
});
