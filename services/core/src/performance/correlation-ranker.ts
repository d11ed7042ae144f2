/**
 * Which features explain a performance change: NannyML's CorrelationRanker over event-time windows. Each
 * feature's drift statistic per window is correlated (Pearson) with the window's absolute performance change
 * from the reference, |performance − reference|, over the windows both have; features are ranked by that
 * correlation, highest first (NannyML sorts the signed value: a feature whose drift falls as the performance
 * drifts away ranks last, not first). The p-value is scipy.stats.pearsonr's (two-sided, t with n − 2 degrees
 * of freedom).
 *
 * Reference: NannyML `nannyml/drift/ranker.py` (CorrelationRanker.fit: the mean reference performance; rank:
 * NaN pairs dropped, pearsonr, `has_drifted` when any window alerted).
 */
import { studentTTwoSidedPValue } from './p-values.ts';

/** A feature's drift in one window: its statistic (KS D, Jensen-Shannon, PSI, ...) and the verdict. */
export interface FeatureDriftPoint {
  readonly windowStartMs: number;
  readonly statistic: number;
  readonly drifted: boolean;
}

export interface RankerInput {
  /** The performance of the reference period (NannyML: the mean over reference chunks). */
  readonly reference: number;
  /** The (estimated or realized) performance per window. */
  readonly performance: ReadonlyMap<number, number>;
  /** Per feature (one method each), its drift per window. */
  readonly drift: ReadonlyMap<string, readonly FeatureDriftPoint[]>;
}

export interface FeatureCorrelation {
  readonly feature: string;
  /** Pearson's r; NaN when fewer than 2 windows pair up or either side is constant. */
  readonly correlation: number;
  readonly pValue: number;
  /** Windows with both a drift statistic and a performance figure. */
  readonly windows: number;
  readonly hasDrifted: boolean;
  /** 1 for the feature whose drift moves most with the performance change. */
  readonly rank: number;
}

/** Pearson's r and scipy's two-sided p-value of paired samples. */
export function pearson(x: readonly number[], y: readonly number[]): { r: number; pValue: number } {
  const n = x.length;
  // A constant side has no correlation (scipy checks equality too: its mean may differ by a rounding error).
  const constant = (v: readonly number[]) => v.every((e) => e === v[0]);
  if (n < 2 || y.length !== n || constant(x) || constant(y)) return { r: Number.NaN, pValue: Number.NaN };
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / n;
  const [mx, my] = [mean(x), mean(y)];
  let [sxy, sxx, syy] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const [dx, dy] = [x[i]! - mx, y[i]! - my];
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Rounding can push |r| a hair past 1; scipy clips it too.
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  if (n === 2 || Math.abs(r) === 1) return { r, pValue: n === 2 ? 1 : 0 };
  const t = r * Math.sqrt((n - 2) / (1 - r * r));
  return { r, pValue: studentTTwoSidedPValue(t, n - 2) };
}

/**
 * Ranks the features; ties and NaN correlations last, then by name (a deterministic order).
 * @example
 * rankFeaturesByPerformanceChange({ reference: 0.9, performance: new Map([[0, 0.9], [1, 0.8], [2, 0.7]]),
 *   drift: new Map([['x', [{ windowStartMs: 0, statistic: 0.01, drifted: false },
 *     { windowStartMs: 1, statistic: 0.1, drifted: true }, { windowStartMs: 2, statistic: 0.2, drifted: true }]]]) })
 * // → [{ feature: 'x', correlation ≈ 0.99954, pValue ≈ 0.0193, windows: 3, hasDrifted: true, rank: 1 }]
 */
export function rankFeaturesByPerformanceChange(input: RankerInput): FeatureCorrelation[] {
  const ranked = [...input.drift].map(([feature, points]) => {
    const x: number[] = [];
    const y: number[] = [];
    for (const p of points) {
      const perf = input.performance.get(p.windowStartMs);
      if (perf === undefined || Number.isNaN(perf) || Number.isNaN(p.statistic)) continue;
      x.push(p.statistic);
      y.push(Math.abs(perf - input.reference));
    }
    const { r, pValue } = pearson(x, y);
    return { feature, correlation: r, pValue, windows: x.length, hasDrifted: points.some((p) => p.drifted) };
  });
  const key = (c: { correlation: number }) => (Number.isNaN(c.correlation) ? -Infinity : c.correlation);
  ranked.sort((a, b) => key(b) - key(a) || a.feature.localeCompare(b.feature));
  return ranked.map((c, i) => ({ ...c, rank: i + 1 }));
}
