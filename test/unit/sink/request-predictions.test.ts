import { describe, expect, it } from 'vitest';
import type { InferenceEvent } from '../../../services/core/src/records/records.generated.ts';
import { requestPredictionRow } from '../../../services/sink/src/request-predictions.ts';

const base: InferenceEvent = {
  prediction_id: 'p-1',
  model_id: 'ranker',
  model_version: 'shadow',
  timestamp: 1_772_445_600_250,
  features: {},
  prediction: { label: 'a', scores: null, value: null },
  request_id: 'req-9',
};

describe('requestPredictionRow', () => {
  it('shouldKeepTheLabelOfARequestWhenTheEventNamesItsRequest', () => {
    expect(requestPredictionRow(base, 3_000)).toEqual({
      request_id: 'req-9',
      model_id: 'ranker',
      model_version: 'shadow',
      prediction_id: 'p-1',
      event_time: 1_772_445_600,
      event_time_ms: 1_772_445_600_250,
      predicted_label: 'a',
      ingested_at: 3,
    });
  });

  it('shouldWriteNoRowWhenTheRequestIdOrTheLabelIsMissing', () => {
    expect(requestPredictionRow({ ...base, request_id: null }, 0)).toBeNull();
    expect(requestPredictionRow({ ...base, request_id: '' }, 0)).toBeNull();
    expect(requestPredictionRow({ ...base, prediction: { value: 1.5 } }, 0)).toBeNull();
  });
});
