import type { Evidence } from '../../core/src/records/records.generated.ts';
import { crossed, evidence, lifecycleOf, type Condition } from './condition.ts';
import { featureDriftConditions, predictionDriftCondition } from './feature-drift.ts';
import { grade } from './grade.ts';
import { multivariateDriftConditions } from './multivariate-drift.ts';
import type { Verdict } from './lifecycle.ts';
import type {
  ConceptDriftRule,
  DataDriftRule,
  DataQualityRule,
  LatencyRule,
  ModelRules,
} from './rules/schema.ts';
import type { DriftWindow, FeatureResult } from './window.ts';

/** A feature's decisive test as evidence: the score is the statistic, with its p-value and threshold. */
export function featureEvidence(f: FeatureResult): Evidence {
  return evidence(f.feature, 'feature', f.method, f.statistic, { p_value: f.pValue, threshold: f.threshold });
}

function dataDrift(name: string, r: DataDriftRule, w: DriftWindow, rules: ModelRules): Condition | null {
  if (w.share === null) return null;
  const life = lifecycleOf(rules.lifecycle, r);
  const drifted = w.features.filter((f) => f.drifted);
  const critical = drifted.filter((f) => r.critical_features.includes(f.feature));
  let verdict: Verdict = grade(w.share, r.warning_share, r.critical_share, life.hysteresis);
  if (critical.length > 0) verdict = { level: 'breach', severity: 'CRITICAL' };
  // The features behind the share, critical ones first, then by statistic.
  const ordered = [...critical, ...drifted.filter((f) => !critical.includes(f))];
  return {
    kind: 'DATA_DRIFT',
    metric: 'share_drifted',
    rule: `data_drift.${name}`,
    verdict,
    value: w.share,
    threshold: crossed(verdict, r.warning_share, r.critical_share),
    evidence: ordered.map(featureEvidence),
    lifecycle: life,
  };
}

function latency(name: string, r: LatencyRule, w: DriftWindow, rules: ModelRules): Condition | null {
  const value = w.latency[String(r.percentile)];
  if (value === undefined) return null;
  const life = lifecycleOf(rules.lifecycle, r);
  const verdict = grade(value, r.warning_ms, r.critical_ms, life.hysteresis);
  const threshold = crossed(verdict, r.warning_ms, r.critical_ms);
  const metric = `latency_p${r.percentile}`;
  return {
    kind: 'LATENCY',
    metric,
    rule: `latency.${name}`,
    verdict,
    value,
    threshold,
    evidence: [evidence(metric, 'operational', 'quantile_exact', value, { threshold })],
    lifecycle: life,
  };
}

function dataQuality(
  name: string,
  r: DataQualityRule,
  w: DriftWindow,
  rules: ModelRules,
  deadLetterRate: number | null,
): Condition | null {
  const life = lifecycleOf(rules.lifecycle, r);
  let value: number;
  let found: Evidence[];
  if (r.type === 'dead_letter_rate') {
    if (deadLetterRate === null) return null;
    value = deadLetterRate;
    found = [
      evidence('dead_letter_rate', 'operational', 'offset_delta', value, { threshold: r.warning_rate }),
    ];
  } else {
    if (w.missing.length === 0) return null;
    // The rise over the reference: a feature that is often missing by design is not a fault.
    const rises = w.missing.map((m) => ({ m, rise: Math.max(0, m.rate - m.referenceRate) }));
    rises.sort((a, b) => b.rise - a.rise || a.m.feature.localeCompare(b.m.feature));
    value = rises[0]!.rise;
    found = rises
      .filter((x) => x.rise > 0)
      .slice(0, 10)
      .map((x) =>
        evidence(x.m.feature, 'feature', 'missing_rate_rise', x.rise, { threshold: r.warning_rate }),
      );
  }
  const verdict = grade(value, r.warning_rate, r.critical_rate, life.hysteresis);
  return {
    kind: 'DATA_QUALITY',
    metric: r.type,
    rule: `data_quality.${name}`,
    verdict,
    value,
    threshold: crossed(verdict, r.warning_rate, r.critical_rate),
    evidence: found,
    lifecycle: life,
  };
}

function conceptDrift(name: string, r: ConceptDriftRule, w: DriftWindow, rules: ModelRules): Condition {
  const hits = w.detections.filter((d) => r.detectors.includes(d.detector));
  return {
    kind: 'CONCEPT_DRIFT',
    metric: 'error_stream',
    rule: `concept_drift.${name}`,
    verdict: hits.length > 0 ? { level: 'breach', severity: r.severity } : { level: 'clear' },
    value: hits.length,
    threshold: 1,
    evidence: hits.map((d) => evidence(d.detector, 'detector', 'mean_error_since_last', d.meanError)),
    lifecycle: lifecycleOf(rules.lifecycle, r),
  };
}

/**
 * Every condition a drift window can raise: data (share, per feature, multivariate and embedding), prediction
 * and concept drift, latency, data quality.
 */
export function driftConditions(
  w: DriftWindow,
  rules: ModelRules,
  deadLetterRate: number | null,
): Condition[] {
  const g = rules.rules;
  const on = <T extends { enabled: boolean }>(group: Record<string, T>) =>
    Object.entries(group).filter(([, r]) => r.enabled);
  const out: (Condition | null)[] = [
    ...on(g.data_drift).map(([n, r]) => dataDrift(n, r, w, rules)),
    ...on(g.feature_drift).flatMap(([n, r]) => featureDriftConditions(n, r, w, rules)),
    ...on(g.multivariate_drift).flatMap(([n, r]) => multivariateDriftConditions(n, r, w, rules)),
    ...on(g.prediction_drift).map(([n, r]) => predictionDriftCondition(n, r, w, rules)),
    ...on(g.latency).map(([n, r]) => latency(n, r, w, rules)),
    ...on(g.data_quality).map(([n, r]) => dataQuality(n, r, w, rules, deadLetterRate)),
    ...on(g.concept_drift).map(([n, r]) => conceptDrift(n, r, w, rules)),
  ];
  return out.filter((c): c is Condition => c !== null);
}
