import { describe, expect, it } from 'vitest';
import {
  decodeJoinState,
  encodeJoinState,
  expiresAtOf,
  type JoinState,
} from '../../../services/label-joiner/src/join-state.ts';

const prediction = {
  model_id: 'm',
  model_version: 'v',
  predicted_at: 1_700_000_000_000,
  predicted_label: 'a',
  predicted_value: null,
  scores: { a: 0.5 },
  tags: null,
};
const label = {
  label: 3.5,
  labeled_at: 1_700_000_100_000,
  model_id: null,
  source: { partition: 2, offset: '41', value: Buffer.from([0, 1, 2]) },
};

describe('join state codec', () => {
  it.each<[string, JoinState]>([
    ['prediction', { kind: 'prediction', expiresAt: 1_700_086_400_000, prediction }],
    ['label', { kind: 'label', expiresAt: 42, label }],
    [
      'joined marker (first policy)',
      { kind: 'joined', expiresAt: 7, prediction: null, label: null, corrections: 0 },
    ],
    [
      'joined marker (last policy)',
      {
        kind: 'joined',
        expiresAt: 7,
        prediction,
        label: { ...label, label: 'b', source: null },
        corrections: 2,
      },
    ],
  ])('shouldRoundTripA %s', (_name, state) => {
    const bytes = encodeJoinState(state);
    expect(decodeJoinState(bytes)).toEqual(state);
    expect(expiresAtOf(bytes)).toBe(state.expiresAt);
  });

  it('shouldKeepAFirstPolicyMarkerTiny', () => {
    expect(
      encodeJoinState({ kind: 'joined', expiresAt: 1, prediction: null, label: null, corrections: 0 }).length,
    ).toBeLessThanOrEqual(12);
  });

  it('shouldRejectBytesItDidNotWrite', () => {
    expect(() => decodeJoinState(Buffer.alloc(12, 9))).toThrow(/not a join state/);
  });
});
