import { describe, expect, it } from 'vitest';
import { storedCalibration } from '../../../services/estimator/src/calibration-stage.ts';
import { CalibrationCounts } from '../../../services/core/src/performance/isotonic-calibration.ts';

describe('storedCalibration', () => {
  const counts = { bins: 10, labeled: 2, classes: { a: [[8, 2, 1, 1.6]] } };

  it('shouldReadTheCountsAndReferenceAccuracyWhenTheRowHasBoth', () => {
    expect(storedCalibration(JSON.stringify({ counts, correct: 1 }))).toEqual({ counts, correct: 1 });
  });

  it('shouldReadTheCountsWithNoReferenceAccuracyWhenTheRowHoldsTheCountsAlone', () => {
    const state = storedCalibration(JSON.stringify(counts));
    expect(state).toEqual({ counts, correct: null });
    expect(CalibrationCounts.fromJSON(state.counts).labeled).toBe(2);
  });
});
