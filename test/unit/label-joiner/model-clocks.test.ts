import { describe, expect, it } from 'vitest';
import type { JoinInput, JoinOutput } from '../../../services/label-joiner/src/join-processor.ts';
import { ModelClocks } from '../../../services/label-joiner/src/model-clocks.ts';
import { modelWatermark, NO_WATERMARK } from '../../../services/label-joiner/src/watermark.ts';

const DAY = 86_400_000;
const busy = { predictions: false, labels: false };
const prediction = (model: string, t: number) =>
  ({
    kind: 'prediction',
    event: { prediction_id: `${model}-${t}`, model_id: model, timestamp: t },
  }) as unknown as JoinInput;
const label = (model: string | null, t: number) =>
  ({
    kind: 'label',
    event: { prediction_id: `l-${t}`, model_id: model, timestamp: t, label: 'a' },
    source: null,
  }) as JoinInput;
const joined = (model: string, labeledAt: number) =>
  ({
    type: 'joined',
    pair: { model_id: model, labeled_at: labeledAt },
    previousLabel: null,
  }) as unknown as JoinOutput;

describe('modelWatermark', () => {
  it('shouldFollowTheModelsOwnSidesWhenAnotherModelIsADayAhead', () => {
    const partition = { predictions: 2 * DAY, labels: 2 * DAY, watermark: 2 * DAY };
    const clock = { predictions: DAY + 500, labels: DAY + 300, watermark: -Infinity };
    expect(modelWatermark(clock, partition, busy, 14 * DAY)).toBe(DAY + 300);
  });

  it('shouldWaitForTheModelsFirstLabelWhateverOtherModelsLabelsSay', () => {
    const partition = { predictions: 9 * DAY, labels: 9 * DAY, watermark: 9 * DAY };
    const clock = { predictions: 2 * DAY, labels: -Infinity, watermark: -Infinity };
    // Only the skew floor moves it: another model's labels at 9 days say nothing about this model's.
    expect(modelWatermark(clock, partition, busy, 14 * DAY)).toBe(9 * DAY - 14 * DAY);
    expect(modelWatermark(clock, partition, { predictions: false, labels: true }, 14 * DAY)).toBe(2 * DAY);
  });

  it('shouldPullAClockAlongWhenItLagsThePartitionByMoreThanTheSkewAndNeverGoBack', () => {
    const partition = { predictions: 30 * DAY, labels: 30 * DAY, watermark: 30 * DAY };
    const clock = { predictions: DAY, labels: DAY, watermark: 3 * DAY };
    expect(modelWatermark(clock, partition, busy, 14 * DAY)).toBe(16 * DAY);
    expect(modelWatermark(clock, NO_WATERMARK, busy, 14 * DAY)).toBe(3 * DAY);
  });
});

describe('ModelClocks', () => {
  it('shouldAttributeALabelToItsModelWhenItNamesItOrOnceItJoined', () => {
    const clocks = new ModelClocks({});
    clocks.observe(prediction('a', 100), []);
    clocks.observe(prediction('b', 50), []);
    clocks.observe(label(null, 400), [joined('b', 400)]);
    clocks.observe(label(null, 999), []);
    clocks.observe(label('a', 120), []);
    const out = clocks.advance(NO_WATERMARK, busy, DAY);
    expect(out).toEqual({
      a: { predictions: 100, labels: 120, watermark: 100 },
      b: { predictions: 50, labels: 400, watermark: 50 },
    });
  });
});
