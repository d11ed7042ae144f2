import { describe, expect, it } from 'vitest';
import { joinExpirationRow, labeledPredictionRow } from '../../../services/sink/src/rows.ts';

describe('sink rows of the label joiner outputs', () => {
  it('shouldFlattenAJoinedPairWithItsLabelDelay', () => {
    const row = labeledPredictionRow(
      {
        prediction_id: 'p',
        model_id: 'm',
        model_version: 'v',
        predicted_at: 1_700_000_000_500,
        labeled_at: 1_700_000_060_000,
        predicted_label: null,
        predicted_value: 3.5,
        scores: null,
        label: 4,
        tags: { a: 'x' },
        correction: true,
      },
      { partition: 1, offset: '17' },
      1_700_000_100_000,
    );
    expect(row).toMatchObject({
      label: '4',
      label_value: 4,
      predicted_value: 3.5,
      predicted_at: 1_700_000_000,
      predicted_at_ms: 1_700_000_000_500,
      labeled_at: 1_700_000_060,
      label_delay_ms: 59_500,
      correction: 1,
      tag_keys: ['a'],
      tag_values: ['x'],
      source_offset: '17',
      scores: '',
    });
  });

  it('shouldKeepANegativeDelayWhenTheLabelPrecedesThePrediction', () => {
    const row = labeledPredictionRow(
      {
        prediction_id: 'p',
        model_id: 'm',
        model_version: 'v',
        predicted_at: 2000,
        labeled_at: 1000,
        label: 'a',
        correction: false,
      },
      { partition: 0, offset: '0' },
      0,
    );
    expect(row.label_delay_ms).toBe(-1000);
    expect(row.label_value).toBeNull();
  });

  it('shouldWriteAnExpirationRow', () => {
    const row = joinExpirationRow(
      {
        prediction_id: 'p',
        model_id: 'm',
        model_version: 'v',
        kind: 'unlabeled',
        event_at: 1_700_000_000_999,
        expired_at: 1_700_086_400_999,
      },
      { partition: 3, offset: '5' },
      0,
    );
    expect(row).toMatchObject({
      kind: 'unlabeled',
      event_at: 1_700_000_000,
      event_at_ms: 1_700_000_000_999,
      expired_at_ms: 1_700_086_400_999,
      source_partition: 3,
    });
  });
});
