import { describe, expect, it } from 'vitest';
import {
  EmptySampleError,
  InvalidOptionError,
  InvalidSampleError,
} from '../../../../services/core/src/stats/errors.ts';
import { kolmogorovSf } from '../../../../services/core/src/stats/kolmogorov-n.ts';
import { ks2samp, type KsMethod } from '../../../../services/core/src/stats/ks.ts';
import { mulberry32 } from '../../../../services/core/src/stats/random.ts';
import { smirnovSf } from '../../../../services/core/src/stats/smirnov.ts';
import { expectClose, generated, loadFixture, type GeneratedSpec } from './fixtures.ts';

interface KsCase {
  name: string;
  a?: number[];
  b?: number[];
  generatedA?: GeneratedSpec;
  generatedB?: GeneratedSpec;
  method: KsMethod;
  statistic: number;
  pvalue: number;
}
interface GridPoint {
  n: number;
  x: number;
  kstwo_sf: number;
  smirnov: number;
}
const fixture = loadFixture<{ cases: KsCase[]; kolmogorov: GridPoint[] }>('ks.json');

// p-values: 1e-9 relative (or 1e-15 absolute for p-values that are ~0); the
// exact path agrees to ~1e-12, the asymptotic one to ~5e-12 (smirnov.ts).
const P_TOL = { rel: 1e-9, abs: 1e-15 };

describe('ks2samp against scipy.stats.ks_2samp', () => {
  it.each(fixture.cases)('$name', (c) => {
    const a = c.generatedA ? generated(c.generatedA) : (c.a as number[]);
    const b = c.generatedB ? generated(c.generatedB) : (c.b as number[]);
    const r = ks2samp(a, b, { method: c.method });
    expectClose(r.statistic, c.statistic, { abs: 1e-12 }, 'statistic');
    expectClose(r.pValue, c.pvalue, P_TOL, 'pValue');
  });

  it('uses the exact method up to 10 000 values per sample and asymp beyond', () => {
    expect(ks2samp([1, 2, 3], [2, 3, 4]).method).toBe('exact');
    const big = generated({ n: 10_001, mult: 7919, mod: 10007, scale: 1, offset: 0 });
    expect(ks2samp(big, [0.5]).method).toBe('asymp');
  });

  it('is symmetric in its samples', () => {
    const rng = mulberry32(42);
    const a = Array.from({ length: 50 }, () => rng());
    const b = Array.from({ length: 60 }, () => rng() + 0.3);
    expect(ks2samp(a, b)).toEqual(ks2samp(b, a));
  });

  it('rejects empty samples, NaN and unknown methods with named errors', () => {
    expect(() => ks2samp([], [1])).toThrow(EmptySampleError);
    expect(() => ks2samp([1, Number.NaN], [1])).toThrow(InvalidSampleError);
    expect(() => ks2samp([1], [1], { method: 'fast' as KsMethod })).toThrow(InvalidOptionError);
  });
});

describe('finite-n Kolmogorov distribution against scipy', () => {
  it.each(fixture.kolmogorov)('n=$n x=$x', (g) => {
    expectClose(kolmogorovSf(g.n, g.x), g.kstwo_sf, { rel: 1e-9, abs: 1e-300 }, 'kstwo.sf');
    expectClose(smirnovSf(g.n, g.x), g.smirnov, { rel: 1e-9, abs: 1e-300 }, 'smirnov');
  });
});
