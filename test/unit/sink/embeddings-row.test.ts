import { describe, expect, it } from 'vitest';
import type { InferenceEvent } from '../../../services/core/src/records/records.generated.ts';
import { inferenceRow } from '../../../services/sink/src/rows.ts';

const event: InferenceEvent = {
  prediction_id: 'p1',
  model_id: 'search',
  model_version: 'v1',
  timestamp: 1_772_409_600_000,
  features: { x0: 1 },
  prediction: { label: 'a', scores: null, value: null },
  embeddings: { text: [0.5, -0.25] },
};

describe('inference_log embeddings', () => {
  it('shouldLeaveTheVectorsOutWhenTheSettingIsOff', () => {
    expect(inferenceRow(event, { partition: 0, offset: '1' }, 0).embeddings).toBe('');
  });

  it('shouldKeepTheVectorsAsJsonWhenTheSettingIsOn', () => {
    const row = inferenceRow(event, { partition: 0, offset: '1' }, 0, true);
    expect(JSON.parse(row.embeddings)).toEqual({ text: [0.5, -0.25] });
    expect(
      inferenceRow({ ...event, embeddings: null }, { partition: 0, offset: '1' }, 0, true).embeddings,
    ).toBe('');
  });
});
