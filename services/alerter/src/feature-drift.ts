import { multipleTests } from '../../core/src/stats/multiple-testing.ts';
import { evidence, lifecycleOf, type Condition } from './condition.ts';
import type { Verdict } from './lifecycle.ts';
import type { FeatureDriftRule, ModelRules, PredictionDriftRule } from './rules/schema.ts';
import type { DriftWindow, FeatureResult } from './window.ts';

/**
 * Per-feature DATA_DRIFT alerts (metric `feature:<name>`) and the output's PREDICTION_DRIFT alert. The drift
 * monitor flags a feature when its decisive test is significant after its Benjamini-Hochberg correction at
 * the test's own threshold (0.05); the alert asks more, to keep false alarms rare across features AND windows:
 * a p-value test must also pass BH at the rule's `alpha` over the window's features. Distance tests (large
 * windows) have no p-value: their flag stands.
 */

/** The BH-adjusted p-value of each feature with a p-value (one family per window), by feature. */
export function adjustedPValues(features: readonly FeatureResult[]): Map<string, number> {
  const tested = features.filter((f) => f.pValue !== null && Number.isFinite(f.pValue));
  if (tested.length === 0) return new Map();
  const adjusted = multipleTests(
    tested.map((f) => f.pValue as number),
    'fdr_bh',
  ).pValuesCorrected;
  return new Map(tested.map((f, i) => [f.feature, adjusted[i] as number]));
}

/** The effect a test's statistic stands for, when large: CRITICAL. */
function isLarge(f: FeatureResult, large: Record<string, number>): boolean {
  const bound = large[f.method];
  return bound !== undefined && f.statistic >= bound;
}

function driftEvidence(f: FeatureResult, adjustedP: number | null, threshold: number | null) {
  return evidence(f.feature, 'feature', f.method, f.statistic, {
    p_value: adjustedP ?? f.pValue,
    threshold,
    test: f.method,
    effect_size: f.statistic,
  });
}

function featureVerdict(f: FeatureResult, adjustedP: number | null, alpha: number, severe: boolean): Verdict {
  const significant = adjustedP === null || adjustedP <= alpha;
  if (!f.drifted || !significant) return { level: 'clear' };
  return { level: 'breach', severity: severe ? 'CRITICAL' : 'WARNING' };
}

/** One DATA_DRIFT condition per input feature of the window. */
export function featureDriftConditions(
  name: string,
  r: FeatureDriftRule,
  w: DriftWindow,
  rules: ModelRules,
): Condition[] {
  const adjusted = adjustedPValues(w.features);
  const life = lifecycleOf(rules.lifecycle, r);
  return w.features.map((f) => {
    const p = adjusted.get(f.feature) ?? null;
    const severe = r.critical_features.includes(f.feature) || isLarge(f, r.large_effect);
    return {
      kind: 'DATA_DRIFT',
      metric: `feature:${f.feature}`,
      rule: `feature_drift.${name}`,
      verdict: featureVerdict(f, p, r.alpha, severe),
      value: f.statistic,
      threshold: f.threshold ?? 0,
      evidence: [driftEvidence(f, p, f.threshold)],
      lifecycle: life,
    };
  });
}

/** The output's condition: its decisive test flagged and, for a p-value test, p ≤ alpha; CRITICAL when large. */
export function predictionDriftCondition(
  name: string,
  r: PredictionDriftRule,
  w: DriftWindow,
  rules: ModelRules,
): Condition | null {
  const p = w.prediction;
  if (!p) return null;
  const significant = p.pValue === null || p.pValue <= r.alpha;
  const verdict: Verdict =
    p.drifted && significant
      ? { level: 'breach', severity: isLarge(p, r.large_effect) ? 'CRITICAL' : r.severity }
      : { level: 'clear' };
  return {
    kind: 'PREDICTION_DRIFT',
    metric: `${p.feature}:${p.method}`,
    rule: `prediction_drift.${name}`,
    verdict,
    value: p.statistic,
    threshold: p.threshold ?? 0,
    evidence: [driftEvidence(p, null, p.threshold)],
    lifecycle: lifecycleOf(rules.lifecycle, r),
  };
}
