import { describe, expect, it } from 'vitest';
import { isRetriable } from '../../../../services/core/src/errors.ts';
import { ConvergenceError } from '../../../../services/core/src/math/errors.ts';
import {
  chiSquareSf,
  logBeta,
  logGamma,
  normalSf,
  regularizedUpperGamma,
} from '../../../../services/core/src/math/special-functions.ts';
import * as performance from '../../../../services/core/src/performance/index.ts';
import { expectClose, loadFixture } from '../stats/fixtures.ts';

const fixture = loadFixture<{
  chi2Sf: { df: number; x: number; chi2_sf: number }[];
  normalSf: { z: number; norm_sf: number }[];
}>('chi_square.json');

describe('special functions against scipy', () => {
  it.each(fixture.chi2Sf)('chi2.sf($x, $df)', (g) => {
    expectClose(chiSquareSf(g.x, g.df), g.chi2_sf, { rel: 1e-11, abs: 1e-300 });
  });
  it.each(fixture.normalSf)('norm.sf($z)', (g) => {
    expectClose(normalSf(g.z), g.norm_sf, { rel: 1e-12, abs: 1e-300 });
  });
});

describe('logGamma and logBeta', () => {
  it('shouldMatchFactorialsWhenArgumentsAreIntegers', () => {
    expectClose(logGamma(1), 0, { abs: 1e-14 }, 'lgamma(1)');
    expectClose(logGamma(5), Math.log(24), { rel: 1e-14 }, 'lgamma(5)');
    expectClose(logGamma(0.5), 0.5 * Math.log(Math.PI), { rel: 1e-14 }, 'lgamma(0.5)');
    expectClose(logGamma(171), 706.5730622457874, { rel: 1e-14 }, 'lgamma(171)');
    expectClose(logBeta(2, 3), Math.log(1 / 12), { rel: 1e-14 }, 'lbeta(2,3)');
    // Large arguments use the cancellation-free split: B(a, ½) = √π·Γ(a)/Γ(a+½) ≈ √(π/a)·(1 + 1/(8a)).
    const lbeta = 0.5 * Math.log(Math.PI) - 0.5 * Math.log(1e6) + 1 / 8e6;
    expectClose(logBeta(1e6, 0.5), lbeta, { rel: 1e-9 }, 'lbeta');
  });

  // mpmath.loggamma at 40 digits, on each side of the switch from Lanczos (≈1e-15 absolute) to Stirling at 10.
  it.each([
    [0.001, 6.907178885383853],
    [2.5, 0.2846828704729192],
    [9.99, 12.779315214350193],
    [10, 12.801827480081469],
    [10.01, 12.824350262448247],
    [1e6, 12815504.569147611],
  ])('shouldMatchMpmathWhen x=%s', (x, want) => {
    expectClose(logGamma(x), want, { rel: 1e-15, abs: 4e-15 });
  });
});

describe('regularizedUpperGamma', () => {
  it('shouldHandleTheEdgesOfItsDomain', () => {
    expect(regularizedUpperGamma(2, 0)).toBe(1);
    expect(regularizedUpperGamma(2, Infinity)).toBe(0);
    expect(regularizedUpperGamma(2, Number.NaN)).toBeNaN();
    expect(regularizedUpperGamma(Number.NaN, 2)).toBeNaN();
    expect(normalSf(Number.NaN)).toBeNaN();
  });

  it('shouldStayInTheUnitIntervalWhenCrossingFromSeriesToFraction', () => {
    for (const a of [0.5, 1, 10, 1000]) {
      for (const x of [a + 1 - 1e-12, a + 1, a + 1 + 1e-12]) {
        const q = regularizedUpperGamma(a, x);
        expect(q).toBeGreaterThanOrEqual(0);
        expect(q).toBeLessThanOrEqual(1);
      }
    }
  });

  it('shouldThrowANonRetriableConvergenceErrorThatPerformanceStillExports', () => {
    const error = new ConvergenceError('series', 10);
    expect(isRetriable(error)).toBe(false);
    expect(performance.ConvergenceError).toBe(ConvergenceError);
  });
});

// Mirrors the @example lines of the TSDoc in services/core/src/math/special-functions.ts.
describe('TSDoc examples', () => {
  it('special functions', () => {
    expectClose(chiSquareSf(3.841458820694124, 1), 0.05, { rel: 1e-12 });
    expectClose(normalSf(1.959963984540054), 0.025, { rel: 1e-12 });
    expectClose(regularizedUpperGamma(1, 2), Math.exp(-2), { rel: 1e-14 });
    expectClose(logGamma(5), Math.log(24), { rel: 1e-14 });
  });
});
