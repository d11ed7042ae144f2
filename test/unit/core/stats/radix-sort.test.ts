import { describe, expect, it } from 'vitest';
import { sortFinite } from '../../../../services/core/src/stats/radix-sort.ts';
import { mulberry32 } from '../../../../services/core/src/stats/random.ts';

/** Bit for bit (Object.is tells -0 from +0). */
function expectSame(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    if (!Object.is(actual[i], expected[i])) expect(actual[i]).toBe(expected[i]);
}

describe('sortFinite', () => {
  const rng = mulberry32(17);

  it('shouldSortAsFloat64ArraySortWhenValuesAreMixedSignsZerosDuplicatesAndTiny', () => {
    const special = [0, -0, 5e-324, -5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 1, 1, -1, 2.5e-310];
    const values = Float64Array.from({ length: 20_000 }, (_, i) =>
      i < special.length ? special[i]! : (rng() - 0.5) * 10 ** Math.floor(rng() * 40 - 20),
    );
    const expected = values.slice().sort();
    expectSame(sortFinite(values), expected);
  });

  it('shouldSortAsFloat64ArraySortWhenValuesShareTheirHighBytes', () => {
    // Values in [64, 128) share sign and exponent: the passes over those bytes are skipped.
    const values = Float64Array.from({ length: 10_000 }, () => 64 + 64 * rng());
    expectSame(sortFinite(values.slice()), values.slice().sort());
    const constant = new Float64Array(5000).fill(3.25);
    expectSame(sortFinite(constant.slice()), constant);
  });

  it('shouldSortAViewInPlaceWhenTheArrayIsPartOfALargerBuffer', () => {
    const buffer = Float64Array.from({ length: 12_000 }, () => rng() * 100 - 30);
    const view = buffer.subarray(1000, 11_000);
    const expected = view.slice().sort();
    const before = buffer.slice(0, 1000);
    expect(sortFinite(view)).toBe(view);
    expectSame(view, expected);
    expectSame(buffer.subarray(0, 1000), before);
  });

  it('shouldSortSmallArraysWhenBelowTheRadixThreshold', () => {
    expectSame(sortFinite(Float64Array.of(2, -0, 0, -1)), Float64Array.of(-1, -0, 0, 2));
  });
});
