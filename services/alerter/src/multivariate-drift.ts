import type { Evidence } from '../../core/src/records/records.generated.ts';
import { EMBEDDING_PREFIX, MULTIVARIATE_FEATURE } from '../../core/src/records/reserved-names.ts';
import { evidence, lifecycleOf, type Condition } from './condition.ts';
import type { Verdict } from './lifecycle.ts';
import type { ModelRules, MultivariateDriftRule } from './rules/schema.ts';
import type { DriftWindow, JointDriftResult } from './window.ts';

/**
 * DATA_DRIFT alerts on drift that one feature at a time cannot see: the multivariate reconstruction error
 * (metric `multivariate`) and each embedding's MMD (metric `embedding:<name>`). The drift monitor calibrates
 * their thresholds on the reference (a band of held-out reconstruction errors; a false-alarm rate for MMD),
 * so its flag is the verdict. They are read apart from the input features (window.ts `joint`), so they change
 * neither the dataset share nor the Benjamini-Hochberg family of feature_drift.
 */

/** How many contributing features the evidence names, largest share first. */
const MAX_CONTRIBUTORS = 5;

/** The alert's metric: `multivariate`, or `embedding:<name>`. */
function metricOf(j: JointDriftResult): string {
  if (j.feature === MULTIVARIATE_FEATURE) return 'multivariate';
  return `embedding:${j.feature.slice(EMBEDDING_PREFIX.length)}`;
}

function matches(r: MultivariateDriftRule, j: JointDriftResult): boolean {
  return r.type === 'reconstruction_error'
    ? j.feature === MULTIVARIATE_FEATURE
    : j.feature.startsWith(EMBEDDING_PREFIX);
}

/** The statistic against its threshold, then (multivariate) the features whose residuals rose most. */
function jointEvidence(metric: string, j: JointDriftResult): Evidence[] {
  const statistic = evidence(metric, 'metric', j.method, j.statistic, {
    threshold: j.threshold,
    test: j.method,
  });
  const contributors = [...j.contributors]
    .sort((a, b) => b.share - a.share || a.feature.localeCompare(b.feature))
    .slice(0, MAX_CONTRIBUTORS)
    .map((c) =>
      evidence(c.feature, 'feature', 'reconstruction_error_share', c.share, { effect_size: c.rise }),
    );
  return [statistic, ...contributors];
}

/** One DATA_DRIFT condition per multivariate or embedding row of the window that the rule covers. */
export function multivariateDriftConditions(
  name: string,
  r: MultivariateDriftRule,
  w: DriftWindow,
  rules: ModelRules,
): Condition[] {
  const life = lifecycleOf(rules.lifecycle, r);
  return (w.joint ?? [])
    .filter((j) => matches(r, j))
    .map((j) => {
      const metric = metricOf(j);
      const verdict: Verdict = j.drifted ? { level: 'breach', severity: r.severity } : { level: 'clear' };
      return {
        kind: 'DATA_DRIFT',
        metric,
        rule: `multivariate_drift.${name}`,
        verdict,
        value: j.statistic,
        threshold: j.threshold ?? 0,
        evidence: jointEvidence(metric, j),
        lifecycle: life,
      };
    });
}
