import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  normalTwoSidedPValue,
  studentTTwoSidedPValue,
} from '../../../../services/core/src/performance/p-values.ts';
import { logBeta, logGamma } from '../../../../services/core/src/performance/special-functions.ts';
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

describe('special functions', () => {
  it('shouldMatchFactorialsWhenArgumentsAreIntegers', () => {
    expectClose(logGamma(1), 0, 'lgamma(1)', 0, 1e-14);
    expectClose(logGamma(5), Math.log(24), 'lgamma(5)', 1e-14, 0);
    expectClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 'lgamma(0.5)', 1e-14, 0);
    expectClose(logGamma(171), 706.5730622457874, 'lgamma(171)', 1e-14, 0);
    expectClose(logBeta(2, 3), Math.log(1 / 12), 'lbeta(2,3)', 1e-14, 0);
    // Large arguments use the cancellation-free split: B(a, ½) = √π·Γ(a)/Γ(a+½) ≈ √(π/a)·(1 + 1/(8a)).
    expectClose(logBeta(1e6, 0.5), 0.5 * Math.log(Math.PI) - 0.5 * Math.log(1e6) + 1 / 8e6, 'lbeta', 1e-9, 0);
  });
});
