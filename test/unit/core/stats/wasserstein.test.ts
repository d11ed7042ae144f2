import { describe, expect, it } from 'vitest';
import { EmptySampleError } from '../../../../services/core/src/stats/errors.ts';
import {
  normalizedWasserstein,
  populationStd,
  wassersteinDistance,
} from '../../../../services/core/src/stats/wasserstein.ts';
import { expectClose, loadFixture } from './fixtures.ts';

interface Case {
  name: string;
  a: number[];
  b: number[];
  distance: number;
  normalized: number;
  referenceStd: number;
}
const fixture = loadFixture<{ cases: Case[] }>('wasserstein.json');

describe('wasserstein against scipy / Evidently', () => {
  it.each(fixture.cases)('$name', (c) => {
    expectClose(wassersteinDistance(c.a, c.b), c.distance, { rel: 1e-9, abs: 1e-12 }, 'distance');
    expectClose(normalizedWasserstein(c.a, c.b), c.normalized, { rel: 1e-9, abs: 1e-12 }, 'normalized');
    expectClose(populationStd(c.a), c.referenceStd, { rel: 1e-9, abs: 1e-12 }, 'std');
  });

  it('matches the TSDoc examples', () => {
    expect(wassersteinDistance([0, 1, 3], [5, 6, 8])).toBe(5);
    expectClose(normalizedWasserstein([0, 1, 2, 3], [1, 2, 3, 4]), 1 / Math.sqrt(1.25), { rel: 1e-15 });
  });

  it('throws on an empty sample', () => {
    expect(() => wassersteinDistance([], [1])).toThrow(EmptySampleError);
  });
});
