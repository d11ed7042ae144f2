import { describe, expect, it } from 'vitest';
import { BoundedSample } from '../../../../services/core/src/stats/bounded-sample.ts';
import { StateFormatError } from '../../../../services/core/src/stats/errors.ts';
import { referenceSample, sampleKs } from '../../../../services/core/src/stats/sample-ks.ts';
import { ks2samp } from '../../../../services/core/src/stats/ks.ts';
import { mulberry32 } from '../../../../services/core/src/stats/random.ts';

const filled = (values: number[], capacity: number) => {
  const s = new BoundedSample(capacity);
  values.forEach((v) => s.add(v));
  return s;
};

describe('BoundedSample', () => {
  it('shouldKeepEveryFiniteValueUpToItsCapacityAndNoneBeyond', () => {
    const s = filled([1, NaN, 2, Infinity, 3], 3);
    expect(Array.from(s.values()!)).toEqual([1, 2, 3]);
    s.add(4);
    expect([s.complete, s.values(), s.toJSON()]).toEqual([false, null, null]);
  });

  it('shouldMergeToTheUnionWhileItFitsAndBecomeIncompleteOtherwise', () => {
    const a = filled([1, 2], 4).merge(filled([3, 4], 4));
    expect(Array.from(a.values()!)).toEqual([1, 2, 3, 4]);
    expect(filled([1, 2], 4).merge(filled([3, 4, 5], 4)).complete).toBe(false);
    expect(filled([1], 4).merge(filled([1, 2, 3, 4, 5], 4)).complete).toBe(false);
  });

  it('shouldRestoreFromJsonAndTreatMissingValuesAsIncompleteUnlessEmpty', () => {
    expect(Array.from(BoundedSample.fromJSON([5, 6], 4).values()!)).toEqual([5, 6]);
    expect(BoundedSample.fromJSON(undefined, 4).complete).toBe(false);
    expect(BoundedSample.fromJSON(undefined, 4, true).complete).toBe(true);
    expect(() => BoundedSample.fromJSON([1, null as unknown as number], 4)).toThrow(StateFormatError);
  });
});

describe('sampleKs', () => {
  const rng = mulberry32(5);
  const ref = Float64Array.from({ length: 30_000 }, () => rng()).sort();
  const win = Float64Array.from({ length: 500 }, () => rng() * 1.05);

  it('shouldEqualKs2sampWhenTheReferenceIsWhole', () => {
    const whole = referenceSample(ref.subarray(0, 4000));
    expect(sampleKs(whole, win)).toMatchObject({ ...ks2samp(ref.subarray(0, 4000), win), errorBound: 0 });
  });

  it('shouldStayWithinOneOverTheSummarySizeWhenTheReferenceIsSummarised', () => {
    const summary = referenceSample(ref, 1000);
    expect(summary).toMatchObject({ n: 30_000, exact: false });
    const r = sampleKs(summary, win);
    expect(Math.abs(r.statistic - ks2samp(ref, win).statistic)).toBeLessThanOrEqual(r.errorBound);
    expect(r.errorBound).toBe(1e-3);
  });
});
