import { describe, expect, it } from 'vitest';
import { driftScore, driftSection, featureLabel } from '../../../services/report/src/drift-model.ts';
import { buildReport } from '../../../services/report/src/model.ts';
import {
  chooseWindowSize,
  MAX_WINDOWS,
  performanceSection,
  windowSizeMs,
} from '../../../services/report/src/performance-model.ts';
import type { PerformanceRow, ReportRows } from '../../../services/report/src/rows.ts';
import {
  DRIFT_FROM_HOUR,
  FIXTURE_HOURS,
  FIXTURE_MODEL,
  FIXTURE_RANGE,
  FIXTURE_START_MS,
  fixtureRows,
  HOUR_MS,
} from './fixture-rows.ts';

const ctx = { modelId: FIXTURE_MODEL, database: 'ml_monitor', range: FIXTURE_RANGE, generatedAtMs: 0 };

function perfRow(windowSize: string, startMs: number, metric = 'accuracy'): PerformanceRow {
  return {
    version: 'v1',
    windowSize,
    startMs,
    endMs: startMs + 1,
    metric,
    value: 0.5,
    samples: 1,
    final: true,
  };
}

describe('performanceSection', () => {
  it('shouldShowTheFinestWindowSizeAndItsHeadlineMetricsWhenSeveralSizesAreStored', () => {
    const p = performanceSection(fixtureRows().performance);
    expect(p.windowSize).toBe('1h');
    expect(p.windowSizes).toEqual(['1h', '1d']);
    expect(p.metrics).toEqual(['accuracy', 'f1_macro']);
    expect(p.windows).toHaveLength(FIXTURE_HOURS + 12);
    expect(p.series.map((s) => `${s.metric}/${s.version}/${s.points.length}`)).toEqual([
      'accuracy/v1/24',
      'accuracy/v2/12',
      'f1_macro/v1/24',
      'f1_macro/v2/12',
    ]);
    expect(p.windows[0]).toMatchObject({ version: 'v1', startMs: FIXTURE_START_MS, final: true });
    expect(p.windows.at(-1)!.final).toBe(false);
  });

  it('shouldPickACoarserSizeWhenTheFinestHasTooManyWindows', () => {
    const fine = Array.from({ length: MAX_WINDOWS + 1 }, (_, i) => perfRow('5m', i * 300_000));
    expect(chooseWindowSize([...fine, perfRow('1d', 0)]).chosen).toBe('1d');
    expect(chooseWindowSize(fine).chosen).toBe('5m');
    expect(chooseWindowSize([]).chosen).toBeNull();
  });

  it('shouldFallBackToOtherMetricsWhenNoHeadlineMetricExists', () => {
    const rows = ['z', 'y', 'x', 'w', 'v'].map((m) => perfRow('1h', 0, m));
    expect(performanceSection(rows).metrics).toEqual(['v', 'w', 'x', 'y']);
  });

  it('shouldDropNonFiniteValuesWhenBuildingSeries', () => {
    const rows = [perfRow('1h', 0), { ...perfRow('1h', HOUR_MS), value: NaN }];
    expect(performanceSection(rows).series[0]!.points).toHaveLength(1);
  });

  it('shouldParseWindowSizes', () => {
    expect([windowSizeMs('5m'), windowSizeMs('1h'), windowSizeMs('2d'), windowSizeMs('last_1000')]).toEqual([
      300_000,
      HOUR_MS,
      172_800_000,
      NaN,
    ]);
  });
});

describe('driftScore', () => {
  const p = (pValue: number, threshold = 0.05) =>
    driftScore({ statistic: 0, pValue, threshold, drifted: false });
  it('shouldBeOneAtTheThresholdWhatEverTheTestDirection', () => {
    expect(p(0.05)).toBeCloseTo(1, 12);
    expect(driftScore({ statistic: 0.2, pValue: null, threshold: 0.2, drifted: true })).toBeCloseTo(1, 12);
  });

  it('shouldGrowWithEvidenceAndStopAtTheMaximum', () => {
    expect(p(1)).toBe(0);
    expect(p(0.0025)).toBeCloseTo(2, 12);
    expect(p(1e-300)).toBe(3);
    expect(p(0)).toBe(3);
    expect(driftScore({ statistic: 0.1, pValue: null, threshold: 0.05, drifted: true })).toBeCloseTo(2, 12);
  });

  it('shouldFollowTheVerdictWhenThereIsNoUsableThreshold', () => {
    expect(driftScore({ statistic: 0.3, pValue: null, threshold: null, drifted: true })).toBe(1);
    expect(driftScore({ statistic: 0.3, pValue: 0.2, threshold: 1, drifted: false })).toBe(0);
  });
});

describe('driftSection', () => {
  const d = driftSection(fixtureRows().drift);

  it('shouldBuildOneHeatmapPerVersionWithInputFeaturesFirst', () => {
    expect(d.heatmaps.map((h) => [h.version, h.windows.length, h.cells.length])).toEqual([
      ['v1', 24, 144],
      ['v2', 12, 72],
    ]);
    expect(d.heatmaps[0]!.features.map(featureLabel)).toEqual([
      'age',
      'income',
      'plan',
      'region',
      'tenure_months',
      'prediction',
    ]);
    const cell = d.heatmaps[0]!.cells.find((c) => c.row === 1 && c.col === DRIFT_FROM_HOUR)!;
    expect(cell).toMatchObject({ method: 'ks', drifted: true, pValue: 1e-3 });
    expect(cell.score).toBeGreaterThan(1);
  });

  it('shouldSummariseEachWindowFromTheDatasetRow', () => {
    const late = d.windows.find((w) => w.version === 'v1' && w.startMs === FIXTURE_START_MS + 20 * HOUR_MS)!;
    expect(late).toMatchObject({
      drifted: ['income', 'tenure_months', '__prediction__'],
      tested: 6,
      share: 0.5,
    });
    expect(late.datasetDrifted).toBe(true);
    expect(d.windows.filter((w) => w.version === 'v1' && w.drifted.length === 0)).toHaveLength(
      DRIFT_FROM_HOUR,
    );
  });

  it('shouldKeepConceptDriftDetectionsOutOfTheHeatmap', () => {
    expect(d.detections).toEqual([
      expect.objectContaining({ version: 'v1', detector: 'adwin', meanError: 0.19, samples: 14_000 }),
    ]);
  });
});

describe('buildReport', () => {
  it('shouldCountAnAlertOnceAndFollowConditionsNotIdsWhenEventsAreRedelivered', () => {
    const rows = fixtureRows();
    const m = buildReport({ ...rows, alerts: [...rows.alerts, rows.alerts[0]!] }, ctx);
    expect(m.alerts.events).toHaveLength(6);
    // The latency alert resolved; the accuracy warning escalated to critical: one condition, still firing.
    expect(m.alerts.firing).toEqual([
      'v1 DATA_DRIFT share_drifted',
      'v1 PERFORMANCE accuracy',
      'v1 PREDICTION_DRIFT chi2',
    ]);
    expect(m.versions).toEqual(['v1', 'v2']);
  });

  it('shouldExplainMissingTablesAndTruncationInNotes', () => {
    const rows: ReportRows = {
      performance: [],
      drift: [],
      alerts: [],
      missingTables: ['drift_metrics', 'alerts'],
      truncated: ['performance_metrics'],
      alertsProblem: 'it has no model_id column',
    };
    const m = buildReport(rows, { ...ctx, version: 'v9' });
    expect(m.version).toBe('v9');
    expect(m.notes).toEqual([
      'table ml_monitor.drift_metrics does not exist yet (it is written by the drift-monitor): nothing shown',
      'table ml_monitor.alerts does not exist yet (it is written by the alerter): nothing shown',
      'table ml_monitor.alerts cannot be read: it has no model_id column',
      'table ml_monitor.performance_metrics: only the first rows are shown',
    ]);
    expect(m.performance.windowSize).toBeNull();
  });

  it('shouldGiveTheSameModelWhenBuiltTwiceFromTheSameRows', () => {
    expect(buildReport(fixtureRows(), ctx)).toEqual(buildReport(fixtureRows(), ctx));
  });
});
