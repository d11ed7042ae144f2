import { describe, expect, it } from 'vitest';
import {
  estimateLines,
  type EstimateLineRow,
  type PrintedEstimates,
} from '../../../services/cli/src/commands/demo-estimates.ts';

const T = Date.parse('2026-03-01T12:03:00Z');

function row(more: Partial<EstimateLineRow>): EstimateLineRow {
  return {
    model_id: 'churn',
    model_version: 'v1',
    window_start_ms: String(T),
    estimate: 0.8421,
    band_low: 0.8102,
    band_high: 0.874,
    sample_count: '1000',
    realized: null,
    outside_band: 0,
    concept_drift: 0,
    revision: 0,
    ...more,
  };
}

describe("the demo's estimate lines", () => {
  it('shouldPrintTheEstimateBeforeLabelsThenTheRealizedFigureOnceEach', () => {
    const printed: PrintedEstimates = { estimated: new Set(), realized: new Set() };
    expect(estimateLines([row({})], printed)).toEqual([
      '  .. ESTIMATED churn/v1 window 12:03: accuracy 0.842 (95% band 0.810-0.874) from 1000 predictions, before any label',
    ]);
    expect(estimateLines([row({})], printed)).toEqual([]);
    const realized = row({ revision: '1', realized: 0.85 });
    expect(estimateLines([realized], printed)).toEqual([
      '  .. REALIZED  churn/v1 window 12:03: accuracy 0.850 beside the estimate 0.842, within the band',
    ]);
    expect(estimateLines([realized], printed)).toEqual([]);
  });

  it('shouldPrintBothLinesAndTheVerdictWhenTheRealizedRevisionIsTheFirstSeen', () => {
    const printed: PrintedEstimates = { estimated: new Set(), realized: new Set() };
    const lines = estimateLines(
      [
        row({ revision: 1, realized: 0.61, outside_band: 1 }),
        row({ window_start_ms: T + 60_000, revision: 1, realized: 0.6, outside_band: 1, concept_drift: 1 }),
      ],
      printed,
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/REALIZED {2}churn\/v1 window 12:03: accuracy 0\.610 .*OUTSIDE the band$/);
    expect(lines[3]).toMatch(/window 12:04: .*CONCEPT DRIFT/);
  });
});
