// Mirrors the seeded @example lines of the TSDoc in services/core/src/stats.
import { describe, expect, it } from 'vitest';
import { chiSquareDrift, chiSquareTest } from '../../../../services/core/src/stats/chi-square.ts';
import { ldexp, nextDown } from '../../../../services/core/src/stats/float-bits.ts';
import { jensenShannonDistance } from '../../../../services/core/src/stats/jensen-shannon.ts';
import { durbinCdf } from '../../../../services/core/src/stats/kolmogorov-durbin.ts';
import { kolmogorovSf } from '../../../../services/core/src/stats/kolmogorov-n.ts';
import { pomeranzCdf } from '../../../../services/core/src/stats/kolmogorov-pomeranz.ts';
import { ks2samp, ksAsymptoticPValue } from '../../../../services/core/src/stats/ks.ts';
import { exactTwoSampleSf, gcd } from '../../../../services/core/src/stats/ks-exact.ts';
import { missingRateChange } from '../../../../services/core/src/stats/missing-rate.ts';
import {
  benjaminiHochberg,
  bonferroni,
  multipleTests,
} from '../../../../services/core/src/stats/multiple-testing.ts';
import { psi } from '../../../../services/core/src/stats/psi.ts';
import { mulberry32 } from '../../../../services/core/src/stats/random.ts';
import { smirnovSf } from '../../../../services/core/src/stats/smirnov.ts';
import { expectClose } from './fixtures.ts';

describe('TSDoc examples', () => {
  it('random', () => {
    expect(mulberry32(42)()).toBe(0.6011037519201636);
  });

  it('ks2samp', () => {
    const rng = mulberry32(42);
    const a = Array.from({ length: 50 }, () => rng());
    const b = Array.from({ length: 60 }, () => rng() + 0.3);
    const r = ks2samp(a, b);
    expect(r.method).toBe('exact');
    expectClose(r.statistic, 0.4666666666666667, { abs: 1e-15 });
    expectClose(r.pValue, 6.9e-6, { rel: 0.01 });
    expectClose(ksAsymptoticPValue(0.05, 20_000, 20_000), 3.63e-22, { rel: 0.01 });
  });

  it('Kolmogorov / Smirnov distributions', () => {
    expectClose(kolmogorovSf(100, 0.1), 0.2527, { abs: 1e-4 });
    expectClose(smirnovSf(10, 0.3), 0.13546, { abs: 1e-5 });
    expectClose(durbinCdf(10, 0.274), 0.6285, { abs: 1e-4 });
    expectClose(pomeranzCdf(20, 0.3), 0.9569, { abs: 1e-4 });
    expectClose(exactTwoSampleSf(5, 5, 3) as number, 0.357, { abs: 1e-3 });
    expect(gcd(12, 18)).toBe(6);
  });

  it('chi-square', () => {
    const t = chiSquareTest([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
    expect(t.statistic).toBe(3.5);
    expectClose(t.pValue, 0.6234, { abs: 1e-4 });
    const d = chiSquareDrift(
      new Map([
        ['a', 50],
        ['b', 50],
      ]),
      new Map([
        ['a', 30],
        ['b', 10],
      ]),
    );
    expect(d.statistic).toBe(10);
    expectClose(d.pValue, 0.00157, { abs: 1e-5 });
  });

  it('PSI, Jensen–Shannon, missing rate, corrections', () => {
    expectClose(psi([50, 50], [40, 60]), 0.1 * Math.log(1.2) - 0.1 * Math.log(0.8), { rel: 1e-12 });
    expectClose(jensenShannonDistance([1, 0], [0.5, 0.5]), 0.5579, { abs: 1e-4 });
    const m = missingRateChange({ missing: 10, total: 1000 }, { missing: 30, total: 1000 });
    expectClose(m.zStatistic, 3.19, { abs: 0.01 });
    expectClose(m.pValue, 0.0014, { abs: 1e-4 });
    expect(bonferroni([0.01, 0.04])).toEqual({ reject: [true, false], pValuesCorrected: [0.02, 0.08] });
    expect(benjaminiHochberg([0.01, 0.02, 0.03, 0.5]).reject).toEqual([true, true, true, false]);
    expect(multipleTests([0.01, 0.04], 'fdr_bh')).toEqual({
      reject: [true, true],
      pValuesCorrected: [0.02, 0.04],
    });
  });

  it('float bits', () => {
    expect(ldexp(1, -1074)).toBe(Number.MIN_VALUE);
    expect(nextDown(1)).toBe(1 - 2 ** -53);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
    expect(nextDown(-1)).toBeLessThan(-1);
  });
});
