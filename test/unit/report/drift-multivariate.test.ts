import { describe, expect, it } from 'vitest';
import { driftScore, driftSection, featureLabel } from '../../../services/report/src/drift-model.ts';
import type { DriftRow } from '../../../services/report/src/rows.ts';

const HOUR = 3_600_000;

function row(feature: string, method: string, hour: number, over: Partial<DriftRow> = {}): DriftRow {
  return {
    version: 'v1',
    startMs: hour * HOUR,
    endMs: (hour + 1) * HOUR,
    feature,
    method,
    statistic: 0.1,
    pValue: 0.5,
    threshold: 0.05,
    drifted: false,
    samples: 500,
    ...over,
  };
}

describe('report rows for multivariate and embedding drift', () => {
  const rows: DriftRow[] = [0, 1].flatMap((h) => [
    row('x0', 'ks', h),
    row('x1', 'ks', h),
    row('__dataset__', 'share_drifted', h, { statistic: 0, pValue: null, threshold: 0.5 }),
    row('__multivariate__', 'reconstruction_error', h, {
      statistic: h === 0 ? 1.47 : 1.7,
      pValue: null,
      threshold: 1.57,
      center: 1.48,
      drifted: h === 1,
    }),
    row('__embedding__:text', 'mmd', h, {
      statistic: h === 0 ? 0.01 : 0.05,
      pValue: null,
      threshold: 0.02,
      drifted: h === 1,
    }),
  ]);
  const section = driftSection(rows);

  it('shouldShowARowForTheMultivariateScoreAndEachEmbeddingAfterTheFeaturesWhenTheMonitorWroteThem', () => {
    expect(section.heatmaps[0]!.features.map(featureLabel)).toEqual([
      'x0',
      'x1',
      'multivariate (PCA reconstruction)',
      'embedding: text',
    ]);
  });

  it('shouldScoreTheReconstructionErrorFromItsBandCentreWhenTheRowHasOne', () => {
    const cells = section.heatmaps[0]!.cells.filter((c) => c.row === 2);
    expect(cells.map((c) => c.score)).toEqual([
      expect.closeTo(0.01 / 0.09, 9),
      expect.closeTo(0.22 / 0.09, 9),
    ]);
    expect(driftScore({ statistic: 0.05, pValue: null, threshold: 0.02, drifted: true })).toBeCloseTo(
      2.5,
      12,
    );
  });

  it('shouldListTheDriftedRowsButCountOnlyFeaturesAsTestedWhenAWindowDrifts', () => {
    expect(section.windows.map((w) => [w.tested, w.drifted.map(featureLabel)])).toEqual([
      [2, []],
      [2, ['multivariate (PCA reconstruction)', 'embedding: text']],
    ]);
  });
});
