import type { Evidence } from '../../core/src/records/records.generated.ts';
import { crossed, evidence, lifecycleOf, type Condition } from './condition.ts';
import { grade, gradeObjective } from './grade.ts';
import { betterDirection } from './rules/metric-direction.ts';
import type { ModelRules, PerformanceRule } from './rules/schema.ts';
import type { MetricFigure, PerformanceWindow } from './window.ts';

/** How many classes the evidence names, worst first. */
export const TOP_CLASSES = 5;

/**
 * The classes whose recall fell most against the baseline, worst first: the "which classes" of a
 * performance alert. Score = recall − baseline recall (negative when it fell).
 */
export function recallDrops(metrics: Record<string, MetricFigure>): Evidence[] {
  return Object.entries(metrics)
    .filter(([name, f]) => name.startsWith('recall:') && f.baseline !== null && f.value < f.baseline)
    .map(([name, f]) =>
      evidence(name.slice('recall:'.length), 'class', 'recall_delta', f.value - f.baseline!, {
        threshold: f.baseline,
      }),
    )
    .sort((a, b) => a.score - b.score || a.subject.localeCompare(b.subject))
    .slice(0, TOP_CLASSES);
}

/** Drop against the baseline in percent of the baseline, in the metric's bad direction; null without one. */
export function dropPct(metric: string, f: MetricFigure): number | null {
  if (f.baseline === null || f.baseline === 0) return null;
  return (betterDirection(metric) * (f.baseline - f.value) * 100) / Math.abs(f.baseline);
}

function performanceCondition(
  name: string,
  rule: PerformanceRule,
  w: PerformanceWindow,
  rules: ModelRules,
): Condition | null {
  const figure = w.metrics[rule.metric];
  if (!figure) return null;
  const life = lifecycleOf(rules.lifecycle, rule);
  const base = { kind: 'PERFORMANCE' as const, rule: `performance.${name}`, lifecycle: life };
  if (rule.type === 'drop') {
    const drop = dropPct(rule.metric, figure);
    if (drop === null) return null;
    const verdict = grade(drop, rule.warning_pct, rule.critical_pct, life.hysteresis);
    const metricEvidence = evidence(rule.metric, 'metric', 'drop_pct_vs_baseline', drop, {
      threshold: crossed(verdict, rule.warning_pct, rule.critical_pct),
    });
    return {
      ...base,
      metric: `${rule.metric}_drop_pct`,
      verdict,
      value: drop,
      threshold: crossed(verdict, rule.warning_pct, rule.critical_pct),
      evidence: [metricEvidence, ...recallDrops(w.metrics)],
    };
  }
  const verdict = gradeObjective(
    figure.value,
    rule.warning,
    rule.critical,
    betterDirection(rule.metric),
    life.hysteresis,
  );
  const threshold = crossed(verdict, rule.warning, rule.critical);
  return {
    ...base,
    metric: rule.metric,
    verdict,
    value: figure.value,
    threshold,
    evidence: [
      evidence(rule.metric, 'metric', 'objective', figure.value, { threshold }),
      ...recallDrops(w.metrics),
    ],
  };
}

/** The PERFORMANCE conditions of a performance window, one per enabled rule whose figure the window has. */
export function performanceConditions(w: PerformanceWindow, rules: ModelRules): Condition[] {
  return Object.entries(rules.rules.performance)
    .filter(([, rule]) => rule.enabled)
    .map(([name, rule]) => performanceCondition(name, rule, w, rules))
    .filter((c): c is Condition => c !== null);
}
