/**
 * Metrics of a {@link RegressionState} as `{ metric, value }` rows; undefined metrics are omitted.
 *
 * - count: samples; mae = mean |e|; rmse = √(mean e²); mean_error = mean(prediction − target)
 *   (bias: positive means over-prediction). Omitted for an empty window.
 * - mape: mean |e|/|y| over non-zero targets only, as a fraction (sklearn
 *   `mean_absolute_percentage_error` on the rows with y ≠ 0). `mape_zero_targets` reports how many
 *   rows were skipped; mape is omitted when every target is 0. sklearn's own convention divides by
 *   max(|y|, machine ε) instead, which turns one zero target into a ~1e16 error: not useful for alerts.
 * - r2: sklearn `r2_score` = 1 − SS_res/SS_tot. Constant target (SS_tot = 0): 1 when the
 *   predictions are perfect, else 0 (sklearn's force_finite=True). Omitted for fewer than two
 *   samples (sklearn returns NaN with a warning).
 */
import { REGRESSION_METRICS as M } from './metric-names.ts';
import type { MetricValue } from './metric-names.ts';
import type { RegressionState } from './regression-state.ts';

/**
 * All defined metrics of `state`.
 * @example
 * const s = new RegressionState().update(1, 2).update(3, 3);
 * regressionMetrics(s); // count 2, mae 0.5, rmse ≈ 0.7071, mape 0.5, mape_zero_targets 0, r2 0.5, mean_error 0.5
 */
export function regressionMetrics(state: RegressionState): MetricValue[] {
  const n = state.count;
  const out: MetricValue[] = [{ metric: M.count, value: n }];
  if (n === 0) return out;
  const absolute = state.absoluteErrorMoments;
  const squaredErrorSum = absolute.m2 + n * absolute.mean * absolute.mean;
  out.push({ metric: M.mae, value: absolute.mean });
  out.push({ metric: M.rmse, value: Math.sqrt(squaredErrorSum / n) });
  if (state.percentageErrorCount > 0) {
    out.push({ metric: M.mape, value: state.percentageErrorSum / state.percentageErrorCount });
  }
  out.push({ metric: M.mapeZeroTargets, value: state.zeroTargets });
  const r2 = rSquared(squaredErrorSum, state.targetMoments.m2, n);
  if (r2 !== null) out.push({ metric: M.r2, value: r2 });
  out.push({ metric: M.meanError, value: state.errorSum / n });
  return out;
}

/** sklearn r2_score with force_finite=True; null for n < 2. */
function rSquared(residualSum: number, totalSum: number, n: number): number | null {
  if (n < 2) return null;
  if (totalSum === 0) return residualSum === 0 ? 1 : 0;
  return 1 - residualSum / totalSum;
}
