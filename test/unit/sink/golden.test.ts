import { describe, expect, it } from 'vitest';
import type { InferenceEvent } from '../../../services/core/src/records/records.generated.ts';
import { goldenAlert, goldenCheck } from '../../../services/sink/src/golden.ts';

const at = { partition: 2, offset: '41' };
const base: InferenceEvent = {
  prediction_id: 'g-1',
  model_id: 'fraud',
  model_version: 'v2',
  timestamp: 1_772_409_600_500,
  features: { x: 1 },
  prediction: { label: 'fraud', scores: null, value: null },
};

describe('goldenCheck', () => {
  it('shouldSkipEventsWhenTheyCarryNoExpectedOutput', () => {
    expect(goldenCheck(base, at, 0)).toBeNull();
    expect(goldenCheck({ ...base, golden_expected: { label: null, value: null } }, at, 0)).toBeNull();
  });

  it('shouldPassALabelWhenItIsTheExpectedOneAndFailOtherwise', () => {
    expect(goldenCheck({ ...base, golden_expected: { label: 'fraud' } }, at, 0)?.passed).toBe(1);
    const failed = goldenCheck({ ...base, golden_expected: { label: 'legit' } }, at, 7_000)!;
    expect(failed).toMatchObject({ passed: 0, expected_label: 'legit', predicted_label: 'fraud' });
    expect(failed).toMatchObject({ event_time: 1_772_409_600, source_offset: '41', ingested_at: 7 });
  });

  it('shouldPassAValueWithinTheRelativeToleranceWhenTheModelIsARegressor', () => {
    const regressor = (value: number, expected: number) =>
      goldenCheck({ ...base, prediction: { value }, golden_expected: { value: expected } }, at, 0)!.passed;
    expect(regressor(1000 + 1e-7, 1000)).toBe(1);
    expect(regressor(1000.01, 1000)).toBe(0);
    expect(goldenCheck({ ...base, golden_expected: { value: 3 } }, at, 0)!.passed).toBe(0);
  });
});

describe('goldenAlert', () => {
  it('shouldRaiseAFinalCriticalAlertWithAStableIdWhenAGoldenCheckFails', () => {
    const row = goldenCheck({ ...base, golden_expected: { label: 'legit' } }, at, 0)!;
    const alert = goldenAlert(row, 5);
    expect(alert).toMatchObject({
      model_id: 'fraud',
      model_version: 'v2',
      kind: 'PERFORMANCE',
      severity: 'CRITICAL',
      status: 'FIRING',
      metric: 'golden_mismatch',
      provisional: false,
      message: 'golden-set input g-1: fraud v2 predicted fraud, expected legit',
    });
    expect(alert.evidence[0]).toMatchObject({ subject: 'g-1', subject_type: 'golden' });
    expect(goldenAlert(row, 9).alert_id).toBe(alert.alert_id);
    expect(goldenAlert({ ...row, prediction_id: 'g-2' }, 5).alert_id).not.toBe(alert.alert_id);
  });
});
