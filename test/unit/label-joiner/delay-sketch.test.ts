import { describe, expect, it } from 'vitest';
import { DelaySketch } from '../../../services/label-joiner/src/delay-sketch.ts';
import { seededRandom } from '../../../services/simulator/src/prng.ts';

/** The exact quantile with the same rank rule (lower value at rank q * (n - 1)). */
function exact(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

describe('DelaySketch', () => {
  it('shouldMatchTheDocumentedExample', () => {
    const s = new DelaySketch();
    [1, 2, 3, 4].forEach((v) => s.add(v));
    expect(s.quantile(0.5)).toBeCloseTo(2, 1);
  });

  it('shouldStayWithinTheRelativeAccuracyWhenDelaysSpanSecondsToWeeks', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 20_000 }, () => Math.exp(random() * Math.log(14 * 86_400)));
    const s = new DelaySketch(0.01);
    values.forEach((v) => s.add(v));
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0, 0.1, 0.5, 0.9, 0.99, 1]) {
      const truth = exact(sorted, q);
      expect(Math.abs(s.quantile(q) - truth) / truth).toBeLessThanOrEqual(0.01);
    }
  });

  it('shouldReportZeroForLabelsThatPrecedeTheirPrediction', () => {
    const s = new DelaySketch();
    [-5, -1, 0, 10].forEach((v) => s.add(v));
    expect(s.quantile(0.5)).toBe(0);
    expect(s.quantile(1)).toBeCloseTo(10, 0);
  });

  it('shouldBeNaNWhenEmpty', () => {
    expect(new DelaySketch().quantile(0.5)).toBeNaN();
  });
});
