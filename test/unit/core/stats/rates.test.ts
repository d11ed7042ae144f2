import { describe, expect, it } from 'vitest';
import { CategoryCounts } from '../../../../services/core/src/stats/category-counts.ts';
import { EmptySampleError } from '../../../../services/core/src/stats/errors.ts';
import { missingRateChange, type MissingCounts } from '../../../../services/core/src/stats/missing-rate.ts';
import { unseenCategoryShare } from '../../../../services/core/src/stats/unseen-categories.ts';
import { expectClose, loadFixture } from './fixtures.ts';

const misc = loadFixture<{
  missingRate: { reference: MissingCounts; window: MissingCounts; z: number; pvalue: number }[];
}>('misc.json');

describe('missingRateChange against statsmodels proportions_ztest', () => {
  it.each(misc.missingRate)(
    'reference $reference.missing/$reference.total vs window $window.missing/$window.total',
    (c) => {
      const r = missingRateChange(c.reference, c.window);
      expectClose(r.zStatistic, c.z, { rel: 1e-12 });
      expectClose(r.pValue, c.pvalue, { rel: 1e-10, abs: 1e-300 });
      expect(r.difference).toBe(c.window.missing / c.window.total - c.reference.missing / c.reference.total);
    },
  );

  it('reports no change (z 0, p 1) when both sides have no missing values, never NaN', () => {
    expect(missingRateChange({ missing: 0, total: 10 }, { missing: 0, total: 5 })).toEqual({
      referenceRate: 0,
      windowRate: 0,
      difference: 0,
      zStatistic: 0,
      pValue: 1,
    });
    expect(() => missingRateChange({ missing: 0, total: 0 }, { missing: 0, total: 5 })).toThrow(
      EmptySampleError,
    );
  });
});

describe('unseenCategoryShare', () => {
  const of = (vs: string[]) => {
    const c = new CategoryCounts();
    vs.forEach((v) => c.update(v));
    return c;
  };
  it('counts window observations in categories the reference lacks', () => {
    const r = unseenCategoryShare(of(['a', 'b']), of(['a', 'new', 'new', 'other']));
    expect(r).toEqual({ share: 0.75, unseenCount: 3, categories: ['new', 'other'] });
  });
  it('throws on a window without observations', () => {
    expect(() => unseenCategoryShare(of(['a']), new CategoryCounts())).toThrow(EmptySampleError);
  });
});
