import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidSampleError } from '../../../../services/core/src/stats/errors.ts';
import {
  multipleTests,
  type CorrectionMethod,
} from '../../../../services/core/src/stats/multiple-testing.ts';
import { expectClose, loadFixture } from './fixtures.ts';

interface Expected {
  reject: boolean[];
  corrected: number[];
}
const fixture = loadFixture<{
  cases: ({ name: string; pvalues: number[]; alpha: number } & Record<CorrectionMethod, Expected>)[];
}>('multiple_testing.json');

describe('multipleTests against statsmodels.multipletests', () => {
  for (const method of ['bonferroni', 'fdr_bh'] as const) {
    it.each(fixture.cases)(`${method}: $name, alpha $alpha`, (c) => {
      const r = multipleTests(c.pvalues, method, c.alpha);
      expect(r.reject).toEqual(c[method].reject);
      r.pValuesCorrected.forEach((p, i) =>
        expectClose(p, c[method].corrected[i] as number, { rel: 1e-12, abs: 1e-15 }),
      );
    });
  }

  it('rejects invalid p-values and unknown methods, listing valid ones', () => {
    expect(() => multipleTests([Number.NaN], 'fdr_bh')).toThrow(InvalidSampleError);
    expect(() => multipleTests([0.1], 'holm' as CorrectionMethod)).toThrow(/bonferroni, fdr_bh/);
    expect(() => multipleTests([0.1], 'bonferroni', 2)).toThrow(InvalidOptionError);
  });
});
