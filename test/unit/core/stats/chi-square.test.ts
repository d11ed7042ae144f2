import { describe, expect, it } from 'vitest';
import { chiSquareDrift, chiSquareTest } from '../../../../services/core/src/stats/chi-square.ts';
import { EmptySampleError, InvalidSampleError } from '../../../../services/core/src/stats/errors.ts';
import { expectClose, loadFixture } from './fixtures.ts';

interface Gof {
  name: string;
  observed: number[];
  expected: number[];
  ddof: number;
  statistic: number;
  pvalue: number;
}
interface Drift {
  name: string;
  reference: Record<string, number>;
  window: Record<string, number>;
  categories: string[];
  observed: number[];
  expected: number[];
  smoothed: boolean;
  statistic: number;
  pvalue: number;
  evidentlyPvalue: number | null;
}
const fixture = loadFixture<{
  goodnessOfFit: Gof[];
  drift: Drift[];
}>('chi_square.json');

const TOL = { rel: 1e-9, abs: 1e-300 };
const asMap = (r: Record<string, number>) => new Map(Object.entries(r));

describe('chiSquareTest against scipy.stats.chisquare', () => {
  it.each(fixture.goodnessOfFit)('$name', (c) => {
    const r = chiSquareTest(c.observed, c.expected, c.ddof);
    expectClose(r.statistic, c.statistic, { rel: 1e-12 }, 'statistic');
    expectClose(r.pValue, c.pvalue, TOL, 'pValue');
  });

  it('rejects mismatched totals and zero expected counts', () => {
    expect(() => chiSquareTest([1, 2], [1, 1])).toThrow(InvalidSampleError);
    expect(() => chiSquareTest([1, 0], [1, 0])).toThrow(InvalidSampleError);
  });
});

describe('chiSquareDrift (reference proportions × window n, unseen smoothed)', () => {
  it.each(fixture.drift)('$name', (c) => {
    const r = chiSquareDrift(asMap(c.reference), asMap(c.window));
    expect(r.categories).toEqual(c.categories);
    expect(r.observed).toEqual(c.observed);
    expect(r.smoothed).toBe(c.smoothed);
    r.expected.forEach((e, i) => expectClose(e, c.expected[i] as number, { rel: 1e-12 }, 'expected'));
    expectClose(r.statistic, c.statistic, { rel: 1e-12, abs: 1e-15 }, 'statistic');
    expectClose(r.pValue, c.pvalue, TOL, 'pValue');
    if (c.evidentlyPvalue !== null) expectClose(r.pValue, c.evidentlyPvalue, TOL, 'Evidently p-value');
  });

  it('gives a finite statistic and a tiny p-value to an unseen category', () => {
    const r = chiSquareDrift(
      new Map([
        ['a', 500],
        ['b', 500],
      ]),
      new Map([
        ['a', 10],
        ['b', 10],
        ['new', 3],
      ]),
    );
    expect(Number.isFinite(r.statistic)).toBe(true);
    expect(r.pValue).toBeLessThan(1e-6);
  });

  it('throws on an empty side', () => {
    expect(() => chiSquareDrift(new Map(), new Map([['a', 1]]))).toThrow(EmptySampleError);
    expect(() => chiSquareDrift(new Map([['a', 1]]), new Map([['a', 0]]))).toThrow(EmptySampleError);
  });
});
