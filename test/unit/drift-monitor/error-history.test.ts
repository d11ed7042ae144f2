import { describe, expect, it } from 'vitest';
import { mulberry32, normalGenerator } from '../../../services/core/src/stats/random.ts';
import { DEFAULT_CONFIRMATION, ErrorHistory } from '../../../services/drift-monitor/src/error-history.ts';

const C = DEFAULT_CONFIRMATION;

function filled(values: number[]): ErrorHistory {
  const h = new ErrorHistory(Math.max(...C.recent));
  values.forEach((v) => h.push(v));
  return h;
}

describe('ErrorHistory', () => {
  it('shouldConfirmARiseOfAbsoluteErrorsWithWelchsTestAndNotASteadyStream', () => {
    const normal = normalGenerator(mulberry32(3));
    const steady = Array.from({ length: 3000 }, () => Math.abs(normal()));
    expect(filled(steady).confirm(C, false).confirmed).toBe(false);
    const risen = [...steady.slice(0, 2600), ...Array.from({ length: 400 }, () => Math.abs(1.5 * normal()))];
    const r = filled(risen).confirm(C, false);
    expect(r.confirmed).toBe(true);
    expect(r.recentMean).toBeGreaterThan(r.baselineMean);
  });

  it('shouldNotConfirmBeforeTheMinimumNumberOfErrorsWhateverTheRise', () => {
    const errors = [...Array<number>(300).fill(0), ...Array<number>(100).fill(1)];
    const r = filled(errors).confirm(C, true);
    expect([r.confirmed, r.pValue < C.alpha]).toEqual([false, true]);
  });

  it('shouldTestTheRecentErrorsAgainstAllEarlierOnesSinceTheReset', () => {
    const rng = mulberry32(9);
    const errors = Array.from({ length: 5000 }, (_, i): number => (rng() < (i < 4800 ? 0.1 : 0.3) ? 1 : 0));
    const h = filled(errors);
    const r = h.confirm(C, true);
    expect(r.recentCount + r.baselineCount).toBe(5000);
    expect(r.baselineMean).toBeCloseTo(
      errors.slice(0, 5000 - r.recentCount).reduce((a, b) => a + b) / r.baselineCount,
      12,
    );
    h.reset();
    expect(h.confirm(C, true)).toMatchObject({ confirmed: false, pValue: 1 });
  });

  it('shouldRoundTripThroughJsonToTheSameVerdicts', () => {
    const rng = mulberry32(10);
    const h = filled(Array.from({ length: 1500 }, (_, i) => (rng() < (i < 1200 ? 0.2 : 0.4) ? 1 : 0)));
    const back = ErrorHistory.fromJSON(JSON.parse(JSON.stringify(h.toJSON())), 800);
    expect(back.confirm(C, true)).toEqual(h.confirm(C, true));
    back.push(1);
    h.push(1);
    expect(back.toJSON()).toEqual(h.toJSON());
  });
});
