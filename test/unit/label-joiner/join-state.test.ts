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

  it('shouldWriteTheExpiryAsABigEndianInt64WhenItIsNegativeOrBeyond32Bits', () => {
    for (const expiresAt of [0, -1, -(2 ** 40) - 7, 2 ** 32, 2 ** 52 + 3, 1_700_086_400_123]) {
      const bytes = encodeJoinState({
        kind: 'joined',
        expiresAt,
        prediction: null,
        label: null,
        corrections: 0,
      });
      expect(bytes.readBigInt64BE(1), String(expiresAt)).toBe(BigInt(expiresAt));
      expect(expiresAtOf(bytes)).toBe(expiresAt);
    }
  });

  it('shouldRoundTripAnEntryLargerThanItsEncodingBufferWhenALabelSourceIsBig', () => {
    const source = { partition: 1, offset: '9', value: Buffer.alloc(100_000, 7) };
    const big: JoinState = { kind: 'label', expiresAt: 5, label: { ...label, source } };
    expect(decodeJoinState(encodeJoinState(big))).toEqual(big);
    const small: JoinState = { kind: 'label', expiresAt: 6, label };
    expect(decodeJoinState(encodeJoinState(small))).toEqual(small);
  });

  it('shouldRejectATruncatedOrPaddedBodyWhenTheHeaderIsValid', () => {
    const bytes = encodeJoinState({ kind: 'label', expiresAt: 42, label });
    expect(() => decodeJoinState(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodeJoinState(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/trailing/);
  });
});
