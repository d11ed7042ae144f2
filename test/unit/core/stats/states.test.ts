import { describe, expect, it } from 'vitest';
import { CategoryCounts, alignCategories } from '../../../../services/core/src/stats/category-counts.ts';
import {
  IncompatibleBinsError,
  StateFormatError,
  EmptySampleError,
} from '../../../../services/core/src/stats/errors.ts';
import { nextDown } from '../../../../services/core/src/stats/float-bits.ts';
import { NumericHistogram } from '../../../../services/core/src/stats/numeric-histogram.ts';
import { mulberry32, normalGenerator, type Rng } from '../../../../services/core/src/stats/random.ts';
import {
  binIndex,
  quantileSorted,
  referenceBins,
} from '../../../../services/core/src/stats/reference-bins.ts';
import { populationStd } from '../../../../services/core/src/stats/wasserstein.ts';
import { expectClose, loadFixture } from './fixtures.ts';

const misc = loadFixture<{
  quantiles: { name: string; sample: number[]; bins: number; quantiles: number[] }[];
}>('misc.json');

function histogramOf(
  values: readonly (number | null | undefined)[],
  spec = referenceBins(values, 20),
): NumericHistogram {
  const h = new NumericHistogram(spec);
  for (const v of values) h.update(v);
  return h;
}

function randomSplit<T>(values: readonly T[], parts: number, rng: Rng): T[][] {
  const out: T[][] = Array.from({ length: parts }, () => []);
  for (const v of values) out[Math.floor(rng() * parts)]?.push(v);
  return out;
}

describe('referenceBins', () => {
  it.each(misc.quantiles)('quantiles of $name with $bins bins equal numpy.quantile', (c) => {
    const sorted = Float64Array.from(c.sample).sort();
    c.quantiles.forEach((q, i) =>
      expectClose(quantileSorted(sorted, (i + 1) / c.bins), q, { rel: 1e-12, abs: 1e-12 }),
    );
  });

  it('matches the TSDoc example', () => {
    expect(Array.from(referenceBins([1, 2, 3, 4, 5, 6, 7, 8], 4).edges)).toEqual([2.75, 4.5, 6.25]);
  });

  it('deduplicates tied quantiles and gives atoms their own bin', () => {
    const values = [...Array(50).fill(0), ...Array.from({ length: 50 }, (_, i) => i + 1)];
    const edges = Array.from(referenceBins(values, 10).edges);
    expect(edges.slice(0, 2)).toEqual([nextDown(0), 0]);
    expect(new Set(edges).size).toBe(edges.length);
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1] as number);
  });

  it('turns a constant feature into below / at / above bins', () => {
    const spec = referenceBins([3, 3, 3, null, Number.NaN], 20);
    expect(Array.from(spec.edges)).toEqual([nextDown(3), 3]);
    expect(spec.shift).toBe(3);
    expect([binIndex(spec.edges, 2.9), binIndex(spec.edges, 3), binIndex(spec.edges, 3.1)]).toEqual([
      0, 1, 2,
    ]);
  });

  it('throws on a reference with no finite value', () => {
    expect(() => referenceBins([null, Number.NaN])).toThrow(EmptySampleError);
  });
});

describe('NumericHistogram', () => {
  const normal = normalGenerator(mulberry32(1));
  const reference = Array.from({ length: 2000 }, () => 100 + 5 * normal());
  const spec = referenceBins(reference, 20);

  it('counts NaN, ±Infinity, null and undefined as missing, not binned', () => {
    const h = histogramOf([1, Number.NaN, null, undefined, Infinity, -Infinity, 2], spec);
    expect(h.missing).toBe(5);
    expect(h.n).toBe(2);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect([h.min, h.max]).toEqual([1, 2]);
  });

  it('shouldHoldTheSameStateBitForBitWhenValuesComeAsAColumnOrOneByOne', () => {
    const values = Float64Array.from([
      ...reference,
      Number.NaN,
      Infinity,
      250,
      -3,
      ...reference.slice(0, 99),
    ]);
    const one = histogramOf(Array.from(values), spec);
    const column = new NumericHistogram(spec);
    column.updateMany(values, 0, 1000);
    column.updateMany(values, 1000, values.length);
    expect(column.toJSON()).toEqual(one.toJSON());
  });

  it('tracks mean and population std like numpy', () => {
    const h = histogramOf(reference, spec);
    expectClose(h.mean, reference.reduce((a, b) => a + b, 0) / reference.length, { rel: 1e-14 });
    expectClose(h.std, populationStd(reference), { rel: 1e-11 });
  });

  it('merges exactly: counts/min/max bitwise, sums to 1e-15, for random splits and orders', () => {
    const rng = mulberry32(7);
    const values = Array.from({ length: 5000 }, () => (rng() < 0.05 ? null : 100 + 5 * normal()));
    const whole = histogramOf(values, spec);
    for (let trial = 0; trial < 20; trial++) {
      const parts = randomSplit(values, 2 + Math.floor(rng() * 5), rng).map((p) => histogramOf(p, spec));
      const left = parts.reduce((acc, p) => acc.merge(p), new NumericHistogram(spec));
      const right = [...parts].reverse().reduce((acc, p) => acc.merge(p), new NumericHistogram(spec));
      const [a, b, c] = parts as [NumericHistogram, NumericHistogram, NumericHistogram];
      const abThenC = a
        .clone()
        .merge(b)
        .merge(c ?? new NumericHistogram(spec));
      const aThenBc = a.clone().merge(b.clone().merge(c ?? new NumericHistogram(spec)));
      for (const h of [left, right]) {
        expect(Array.from(h.counts)).toEqual(Array.from(whole.counts));
        expect([h.n, h.missing, h.min, h.max]).toEqual([whole.n, whole.missing, whole.min, whole.max]);
        expectClose(h.mean, whole.mean, { rel: 1e-15 });
        expectClose(h.std, whole.std, { rel: 1e-12 });
      }
      expect(abThenC.toJSON().counts).toEqual(aThenBc.toJSON().counts);
      expectClose(abThenC.mean, aThenBc.mean, { rel: 1e-15 });
      expect(a.clone().merge(b).toJSON()).toEqual(b.clone().merge(a).toJSON());
    }
  });

  it('round-trips through JSON, empty or not', () => {
    const h = histogramOf([1, 2, null, 105], spec);
    const back = NumericHistogram.fromJSON(JSON.parse(JSON.stringify(h)));
    expect(back.toJSON()).toEqual(h.toJSON());
    const empty = new NumericHistogram(spec);
    expect(NumericHistogram.fromJSON(JSON.parse(JSON.stringify(empty))).toJSON()).toEqual(empty.toJSON());
  });

  it('refuses to merge other edges and to read inconsistent JSON', () => {
    const other = new NumericHistogram(referenceBins([1, 2, 3], 2));
    expect(() => new NumericHistogram(spec).merge(other)).toThrow(IncompatibleBinsError);
    const json = histogramOf([1, 2], spec).toJSON();
    expect(() => NumericHistogram.fromJSON({ ...json, n: 3 })).toThrow(StateFormatError);
    expect(() => NumericHistogram.fromJSON({ ...json, counts: [1] })).toThrow(StateFormatError);
  });
});

describe('CategoryCounts', () => {
  const rng = mulberry32(3);
  const cats = ['a', 'b', 'c', 'd', null];
  const values = Array.from({ length: 3000 }, () => cats[Math.floor(rng() * cats.length)] ?? null);

  function countsOf(vs: readonly (string | null)[]): CategoryCounts {
    const c = new CategoryCounts();
    for (const v of vs) c.update(v);
    return c;
  }

  it('shouldCountEachCategoryApartWhenTextsShareLengthAndEndsOrAreEmpty', () => {
    // 'axb', 'ayb' and 'azb' fall in the same cell of the cache of recent categories; '' has no characters.
    const texts = ['axb', 'ayb', 'axb', '', 'azb', 'axb', '', 'ayb', 'ba'];
    const c = new CategoryCounts();
    for (const t of texts) c.update([...t].join('')); // equal texts in other strings, as a decoder makes
    expect(c.toJSON().counts).toEqual([
      ['', 2],
      ['axb', 3],
      ['ayb', 2],
      ['azb', 1],
      ['ba', 1],
    ]);
  });

  it('shouldCountNonStringsByTheirTextWhenUpdatedWithMany', () => {
    const c = new CategoryCounts();
    c.updateMany(['x', ...values, 1, '1', true, undefined, 'y'], 1, values.length + 5);
    const expected = countsOf([...values, '1', '1', 'true', null]);
    expect(c.toJSON()).toEqual(expected.toJSON());
    expect(c.n).toBe(expected.n);
  });

  it('merges exactly, associatively and commutatively on random splits', () => {
    const whole = countsOf(values).toJSON();
    for (let trial = 0; trial < 20; trial++) {
      const parts = randomSplit(values, 2 + Math.floor(rng() * 5), rng).map(countsOf);
      const forward = parts.reduce((acc, p) => acc.merge(p), new CategoryCounts());
      const backward = [...parts].reverse().reduce((acc, p) => acc.merge(p), new CategoryCounts());
      expect(forward.toJSON()).toEqual(whole);
      expect(backward.toJSON()).toEqual(whole);
    }
  });

  it('round-trips through JSON and rejects malformed state', () => {
    const c = countsOf(['x', 'y', 'x', null, '__proto__']);
    expect(CategoryCounts.fromJSON(JSON.parse(JSON.stringify(c))).toJSON()).toEqual(c.toJSON());
    expect(c.count('__proto__')).toBe(1);
    expect(() => CategoryCounts.fromJSON({ version: 1, counts: [['x', -1]], missing: 0 })).toThrow(
      StateFormatError,
    );
  });

  it('aligns two states on the sorted union of categories', () => {
    const r = alignCategories(countsOf(['b', 'a', 'a']), countsOf(['c']));
    expect(r.categories).toEqual(['a', 'b', 'c']);
    expect(Array.from(r.reference)).toEqual([2, 1, 0]);
    expect(Array.from(r.window)).toEqual([0, 0, 1]);
  });
});
