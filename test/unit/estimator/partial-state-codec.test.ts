import { describe, expect, it } from 'vitest';
import { EstimateState } from '../../../services/core/src/performance/estimate-state.ts';
import { CalibrationCounts } from '../../../services/core/src/performance/isotonic-calibration.ts';
import { mulberry32 } from '../../../services/core/src/stats/random.ts';
import {
  decodePartialState,
  encodePartialState,
} from '../../../services/estimator/src/partial-state-codec.ts';

const CLASSES = ['a', 'b', 'c'];

function scoresOf(rng: () => number): Record<string, number> {
  const raw = CLASSES.map(() => rng() ** 2);
  const total = raw.reduce((a, v) => a + v, 0);
  return Object.fromEntries(CLASSES.map((c, k) => [c, raw[k]! / total]));
}

function filledState(events: number, seed = 1): EstimateState {
  const rng = mulberry32(seed);
  const counts = new CalibrationCounts();
  for (let i = 0; i < 500; i++) counts.update(scoresOf(rng), CLASSES[i % 3]!);
  const calibration = counts.fit();
  const s = new EstimateState(CLASSES);
  for (let i = 0; i < events; i++) s.update(CLASSES[i % 4 === 3 ? 0 : i % 3]!, scoresOf(rng), calibration);
  s.update('unseen', scoresOf(rng), calibration);
  return s;
}

describe('the stored form of a partial estimate state', () => {
  it('shouldRestoreEverySumBitForBitWhenPackedAndUnpacked', () => {
    const s = filledState(5000);
    const back = decodePartialState(encodePartialState(s));
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(back.unknown).toBe(1);
  });

  it('shouldReadRowsWrittenInThePlainJsonFormBeforeThePackedOne', () => {
    const s = filledState(300, 2);
    expect(decodePartialState(JSON.stringify(s.toJSON())).toJSON()).toEqual(s.toJSON());
  });

  it('shouldPackAnEmptyStateAndAStateOfOneEvent', () => {
    for (const s of [new EstimateState(CLASSES), filledState(0, 3)])
      expect(decodePartialState(encodePartialState(s)).toJSON()).toEqual(s.toJSON());
  });

  it('shouldRejectPackedArraysThatDoNotFitTheClasses', () => {
    const packed = JSON.parse(encodePartialState(filledState(10))) as Record<string, unknown>;
    const short = { ...packed, sums: Buffer.from(new Float64Array(3).buffer).toString('base64') };
    expect(() => decodePartialState(JSON.stringify(short))).toThrow(/invalid state JSON at sums/);
    const torn = { ...packed, filled: 'AAA' };
    expect(() => decodePartialState(JSON.stringify(torn))).toThrow(/packed arrays/);
  });
});
