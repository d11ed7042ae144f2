import { describe, expect, it } from 'vitest';
import type {
  GroundTruthEvent,
  InferenceEvent,
} from '../../../services/core/src/records/records.generated.ts';
import {
  JoinProcessor,
  type JoinInput,
  type JoinOptions,
  type JoinOutput,
} from '../../../services/label-joiner/src/join-processor.ts';
import type { JoinState } from '../../../services/label-joiner/src/join-state.ts';

const DAY = 86_400_000;
const options: JoinOptions = { labelDelayMs: DAY, orphanDelayMs: DAY, duplicateLabels: 'first' };
const T = Date.parse('2026-05-01T00:00:00Z');

const prediction = (id: string, ts = T, label = 'a'): JoinInput => ({
  kind: 'prediction',
  event: {
    prediction_id: id,
    model_id: 'm',
    model_version: 'v1',
    timestamp: ts,
    features: { x: 1 },
    prediction: { label, scores: { a: 0.8, b: 0.2 }, value: null },
    latency_ms: null,
    tags: { region: 'eu' },
  } as InferenceEvent,
});
const label = (id: string, ts = T + 5000, value: string | number = 'a'): JoinInput => ({
  kind: 'label',
  event: { prediction_id: id, timestamp: ts, label: value, model_id: null } as GroundTruthEvent,
  source: null,
});

/** Runs inputs through the processor with an in-memory state map, as the partition task does. */
function run(processor: JoinProcessor, inputs: JoinInput[], watermark = -Infinity) {
  const states = new Map<string, JoinState>();
  const outputs: JoinOutput[] = [];
  for (const input of inputs) {
    const id = input.event.prediction_id;
    const step = processor.process(input, states.get(id), watermark);
    if (step.next === null) states.delete(id);
    else if (step.next) states.set(id, step.next);
    outputs.push(...step.outputs);
  }
  return { states, outputs, joined: outputs.filter((o) => o.type === 'joined') };
}

describe('JoinProcessor', () => {
  it('shouldJoinWhenTheLabelComesAfterThePrediction', () => {
    const { joined, states } = run(new JoinProcessor(options), [
      prediction('p1'),
      label('p1', T + 5000, 'b'),
    ]);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({
      pair: {
        prediction_id: 'p1',
        model_id: 'm',
        predicted_at: T,
        labeled_at: T + 5000,
        label: 'b',
        predicted_label: 'a',
        scores: { a: 0.8, b: 0.2 },
        tags: { region: 'eu' },
        correction: false,
      },
    });
    expect(states.get('p1')).toMatchObject({ kind: 'joined', expiresAt: T + 5000 + DAY, prediction: null });
  });

  it('shouldJoinTheSamePairWhenTheLabelComesFirst', () => {
    const after = run(new JoinProcessor(options), [prediction('p1'), label('p1')]).joined;
    const before = run(new JoinProcessor(options), [label('p1'), prediction('p1')]).joined;
    expect(before).toEqual(after);
  });

  it('shouldIgnoreASecondLabelWhenThePolicyIsFirst', () => {
    const { joined, outputs } = run(new JoinProcessor(options), [
      prediction('p1'),
      label('p1', T + 1, 'a'),
      label('p1', T + 2, 'b'),
    ]);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ pair: { label: 'a' } });
    expect(outputs).toContainEqual({ type: 'duplicate', of: 'label' });
  });

  it('shouldKeepTheFirstWaitingLabelWhenDuplicatesArriveBeforeThePrediction', () => {
    const { joined } = run(new JoinProcessor(options), [
      label('p1', T + 1, 'a'),
      label('p1', T + 2, 'b'),
      prediction('p1'),
    ]);
    expect(joined.map((j) => j.type === 'joined' && j.pair.label)).toEqual(['a']);
  });

  it('shouldEmitACorrectionWithThePreviousLabelWhenThePolicyIsLast', () => {
    const { joined } = run(new JoinProcessor({ ...options, duplicateLabels: 'last' }), [
      prediction('p1'),
      label('p1', T + 1, 'a'),
      label('p1', T + 2, 'b'),
      label('p1', T + 3, 'c'),
    ]);
    expect(
      joined.map((j) => j.type === 'joined' && [j.pair.label, j.pair.correction, j.previousLabel]),
    ).toEqual([
      ['a', false, null],
      ['b', true, 'a'],
      ['c', true, 'b'],
    ]);
  });

  it('shouldJoinTheLastWaitingLabelWithoutACorrectionWhenThePolicyIsLastAndThePredictionComesLater', () => {
    const { joined } = run(new JoinProcessor({ ...options, duplicateLabels: 'last' }), [
      label('p1', T + 1, 'a'),
      label('p1', T + 2, 'b'),
      prediction('p1'),
    ]);
    expect(joined.map((j) => j.type === 'joined' && [j.pair.label, j.pair.correction])).toEqual([
      ['b', false],
    ]);
  });

  it('shouldIgnoreADuplicatePredictionWhetherPendingOrJoined', () => {
    const { joined, outputs } = run(new JoinProcessor(options), [
      prediction('p1', T, 'a'),
      prediction('p1', T, 'z'),
      label('p1'),
      prediction('p1', T, 'y'),
    ]);
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ pair: { predicted_label: 'a' } });
    expect(outputs.filter((o) => o.type === 'duplicate')).toHaveLength(2);
  });

  it('shouldExpireAPendingPredictionAsUnlabeledAndAWaitingLabelAsOrphan', () => {
    const processor = new JoinProcessor(options);
    const { states } = run(processor, [prediction('p1'), label('l1', T + 7)]);
    expect(processor.expire('p1', states.get('p1')!)).toEqual([
      {
        type: 'expired',
        source: null,
        expiration: {
          prediction_id: 'p1',
          model_id: 'm',
          model_version: 'v1',
          kind: 'unlabeled',
          event_at: T,
          expired_at: T + DAY,
        },
      },
    ]);
    expect(processor.expire('l1', states.get('l1')!)).toMatchObject([
      { expiration: { kind: 'orphan', model_id: '', event_at: T + 7, expired_at: T + 7 + DAY } },
    ]);
  });

  it('shouldExpireALatePredictionAtOnceWhenItsDeadlineIsBehindTheWatermark', () => {
    const { outputs, states } = run(new JoinProcessor(options), [prediction('old', T)], T + DAY + 1);
    expect(outputs).toMatchObject([
      { type: 'expired', expiration: { kind: 'unlabeled', prediction_id: 'old' } },
    ]);
    expect(states.size).toBe(0);
  });

  it('shouldStillJoinALatePredictionWhoseLabelIsWaiting', () => {
    const processor = new JoinProcessor(options);
    const waiting = processor.process(label('p1', T + DAY), undefined, -Infinity).next!;
    const step = processor.process(prediction('p1', T), waiting, T + DAY + 10);
    expect(step.outputs.map((o) => o.type)).toEqual(['joined']);
    // The marker outlives the later event (the label) by the delay, so it is still kept.
    expect(step.next).toMatchObject({ kind: 'joined', expiresAt: T + 2 * DAY });
  });

  it('shouldKeepNoMarkerWhenAJoinHappensPastEveryDeadline', () => {
    const processor = new JoinProcessor(options);
    const waiting = processor.process(label('p1', T), undefined, -Infinity).next!;
    const step = processor.process(prediction('p1', T), waiting, T + DAY + 10);
    expect(step.outputs.map((o) => o.type)).toEqual(['joined']);
    expect(step.next).toBeNull();
  });

  it('shouldUseTheOrphanDelayForWaitingLabels', () => {
    const { states } = run(new JoinProcessor({ ...options, orphanDelayMs: 1000 }), [label('l1', T)]);
    expect(states.get('l1')!.expiresAt).toBe(T + 1000);
  });

  it('shouldJoinANumericLabelToARegressor', () => {
    const reg: JoinInput = {
      kind: 'prediction',
      event: {
        ...(prediction('r1').event as InferenceEvent),
        prediction: { label: null, scores: null, value: 12.5 },
      },
    };
    const { joined } = run(new JoinProcessor(options), [reg, label('r1', T + 1, 13)]);
    expect(joined[0]).toMatchObject({ pair: { predicted_value: 12.5, predicted_label: null, label: 13 } });
  });
});
