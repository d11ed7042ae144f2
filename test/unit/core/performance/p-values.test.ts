import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  normalTwoSidedPValue,
  studentTTwoSidedPValue,
} from '../../../../services/core/src/performance/p-values.ts';
import type { ComparisonFixture } from './fixture-types.ts';
import { expectClose, loadFixture } from './helpers.ts';

const { p_values: reference } = loadFixture<ComparisonFixture>('comparison.json');

describe('p-values against scipy.stats', () => {
  it.each(reference.student_t.map((c) => [c.t, c.df, c] as const))(
    'shouldMatchStudentTTailWhen t=%s df=%s',
    (_, __, c) => {
      expectClose(studentTTwoSidedPValue(c.t, c.df), c.p_value, 'p', 1e-9, 0);
    },
  );

  it.each(reference.normal.map((c) => [c.z, c] as const))('shouldMatchNormalTailWhen z=%s', (_, c) => {
    expectClose(normalTwoSidedPValue(c.z), c.p_value, 'p', 1e-9, 0);
    expectClose(normalTwoSidedPValue(-c.z), c.p_value, 'p(-z)', 1e-9, 0);
  });

  it.each(reference.chi_square.map((c) => [c.x, c.df, c] as const))(
    'shouldMatchChiSquareTailWhen x=%s df=%s',
    (_, __, c) => {
      expectClose(chiSquareSurvival(c.x, c.df), c.p_value, 'p', 1e-9, 0);
    },
  );

  it('shouldMatchTheDocExampleWhenZIsTheNormalQuantile', () => {
    expectClose(normalTwoSidedPValue(1.959963984540054), 0.05, 'p', 1e-12, 0);
  });

  it('shouldReturnZeroWhenTIsInfinite', () => {
    expect(studentTTwoSidedPValue(Infinity, 5)).toBe(0);
  });
});
