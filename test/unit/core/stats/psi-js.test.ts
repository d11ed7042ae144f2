import { describe, expect, it } from 'vitest';
import { EmptySampleError, InvalidSampleError } from '../../../../services/core/src/stats/errors.ts';
import { jensenShannonDistance } from '../../../../services/core/src/stats/jensen-shannon.ts';
import { emptyBinProportion, psi } from '../../../../services/core/src/stats/psi.ts';
import { expectClose, loadFixture } from './fixtures.ts';

const psiFixture = loadFixture<{
  cases: { name: string; reference: number[]; current: number[]; psi: number }[];
}>('psi.json');
const jsFixture = loadFixture<{ cases: { name: string; p: number[]; q: number[]; distance: number }[] }>(
  'jensen_shannon.json',
);

describe('psi against the Evidently formula', () => {
  it.each(psiFixture.cases)('$name', (c) => {
    expectClose(psi(c.reference, c.current), c.psi, { rel: 1e-10, abs: 1e-14 });
  });

  it('fills empty bins with 1e-4 unless a non-empty bin is smaller', () => {
    expect(emptyBinProportion([0.5, 0.5, 0])).toBe(1e-4);
    expect(emptyBinProportion([0.99995, 0.00005, 0])).toBe(0.00005 / 1e6);
  });

  it('throws on empty sides and mismatched bins', () => {
    expect(() => psi([0, 0], [1, 1])).toThrow(EmptySampleError);
    expect(() => psi([1, 1], [1])).toThrow(InvalidSampleError);
  });
});

describe('jensenShannonDistance against scipy (base 2)', () => {
  it.each(jsFixture.cases)('$name', (c) => {
    expectClose(jensenShannonDistance(c.p, c.q), c.distance, { rel: 1e-10, abs: 1e-12 });
  });

  it('is 1 for disjoint supports and 0 for identical distributions, never NaN', () => {
    expectClose(jensenShannonDistance([1, 0], [0, 1]), 1, { abs: 1e-15 });
    expect(jensenShannonDistance([0.1, 0.2, 0.7], [0.1, 0.2, 0.7])).toBe(0);
  });

  it('throws on an all-zero vector', () => {
    expect(() => jensenShannonDistance([0, 0], [1, 1])).toThrow(EmptySampleError);
  });
});
