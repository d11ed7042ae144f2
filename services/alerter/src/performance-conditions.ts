import type { Evidence } from '../../core/src/records/records.generated.ts';
import { crossed, evidence, lifecycleOf, type Condition } from './condition.ts';
import { grade, gradeObjective } from './grade.ts';
import type { Verdict } from './lifecycle.ts';
import type { DropTest } from '../../core/src/performance/index.ts';
import { figureBounds, worseningTest } from './perf-verdict.ts';
import { betterDirection } from './rules/metric-direction.ts';
import type { ModelRules, PerformanceRule } from './rules/schema.ts';
import type { MetricFigure, PerformanceWindow } from './window.ts';

/** How many classes the evidence names, worst first. */
export const TOP_CLASSES = 5;

/** Significance level of the per-class recall tests in the evidence (context, not a verdict). */
const CLASS_ALPHA = 0.001;

/**
 * The classes whose recall fell most against the baseline, worst first: the "which classes" of a
 * performance alert. Score = recall − baseline recall (negative when it fell); with the counts, the one-sided
 * two-proportion test of the fall and its interval.
 */
export function recallDrops(metrics: Record<string, MetricFigure>): Evidence[] {
  return Object.entries(metrics)
    .filter(([name, f]) => name.startsWith('recall:') && f.baseline !== null && f.value < f.baseline)
    .map(([name, f]) => {
      const test = worseningTest(name, f, CLASS_ALPHA);
      return evidence(name.slice('recall:'.length), 'class', 'recall_delta', f.value - f.baseline!, {
        threshold: f.baseline,
        p_value: test?.pValue ?? null,
        test: test?.test ?? null,
        interval_low: test?.low,
        interval_high: test?.high,
        baseline: f.baseline,
        baseline_count: f.baselineCount || null,
        sample_count: f.count || null,
      });
    })
    .sort((a, b) => a.score - b.score || a.subject.localeCompare(b.subject))
    .slice(0, TOP_CLASSES);
}

/** Drop against the baseline in percent of the baseline, in the metric's bad direction; null without one. */
export function dropPct(metric: string, f: MetricFigure): number | null {
  if (f.baseline === null || f.baseline === 0) return null;
  return (betterDirection(metric) * (f.baseline - f.value) * 100) / Math.abs(f.baseline);
}

const NO_VERDICT: Verdict = { level: 'ok' };

type DropRule = Extract<PerformanceRule, { type: 'drop' }>;
type ObjectiveRule = Extract<PerformanceRule, { type: 'objective' }>;

/**
 * A drop fires when it is practically large (the rule's percentages) AND, with `test: auto` and a test for the
 * figure, significant against the baseline given both sample counts (one-sided p ≤ alpha). A large drop that
 * is not significant is `ok`: it neither opens nor resolves an alert.
 */
function dropVerdict(rule: DropRule, w: PerformanceWindow, figure: MetricFigure, hysteresis: number) {
  const drop = dropPct(rule.metric, figure);
  if (drop === null) return null;
  const test = rule.test === 'auto' ? worseningTest(rule.metric, figure, rule.alpha) : null;
  let verdict = grade(drop, rule.warning_pct, rule.critical_pct, hysteresis);
  if (w.sampleCount < rule.min_samples) verdict = NO_VERDICT;
  else if (verdict.level === 'breach' && test && test.pValue > rule.alpha) verdict = NO_VERDICT;
  const threshold = crossed(verdict, rule.warning_pct, rule.critical_pct);
  const found = evidence(rule.metric, 'metric', 'drop_pct_vs_baseline', drop, {
    threshold,
    p_value: test?.pValue ?? null,
    test: test?.test ?? 'none',
    interval_low: test?.low,
    interval_high: test?.high,
    baseline: figure.baseline,
    baseline_count: figure.baselineCount || null,
    sample_count: figure.count || w.sampleCount,
    baseline_source: w.baselineSource,
    effect_size: drop,
  });
  return { verdict, value: drop, threshold, found, detail: dropDetail(rule, figure, w, test) };
}

const num = (x: number) => String(Number(x.toPrecision(3)));

/** `accuracy 0.65 over 1000 vs baseline 0.89 over 2000 (first 2000 …); two_proportion_z one-sided p=1e-40, …`. */
function dropDetail(rule: DropRule, f: MetricFigure, w: PerformanceWindow, test: DropTest | null): string {
  const over = (n: number | undefined) => (n ? ` over ${n}` : '');
  const base = `${rule.metric} ${num(f.value)}${over(f.count || w.sampleCount)} vs baseline ${num(f.baseline!)}${over(f.baselineCount)}`;
  const source = w.baselineSource ? ` (${w.baselineSource})` : '';
  if (!test) return `${base}${source}; no test (point comparison)`;
  const level = num(100 * (1 - 2 * rule.alpha));
  return `${base}${source}; ${test.test} one-sided p=${num(test.pValue)}, ${level}% interval of the change [${num(test.low)}, ${num(test.high)}]`;
}

/**
 * An objective fires when the figure is beyond it for certain: with a test, the one-sided (1 − α) bound on the
 * good side (Wilson for proportions, t for mae) must lie beyond the objective.
 */
function objectiveVerdict(
  rule: ObjectiveRule,
  w: PerformanceWindow,
  figure: MetricFigure,
  hysteresis: number,
) {
  const better = betterDirection(rule.metric);
  const bounds = rule.test === 'auto' ? figureBounds(rule.metric, figure, rule.alpha) : null;
  const judged = bounds ? (better > 0 ? bounds.high : bounds.low) : figure.value;
  let verdict = gradeObjective(judged, rule.warning, rule.critical, better, hysteresis);
  if (w.sampleCount < rule.min_samples) verdict = NO_VERDICT;
  const threshold = crossed(verdict, rule.warning, rule.critical);
  const found = evidence(rule.metric, 'metric', 'objective', figure.value, {
    threshold,
    test: bounds?.test ?? 'none',
    interval_low: bounds?.low,
    interval_high: bounds?.high,
    sample_count: figure.count || w.sampleCount,
  });
  const over = figure.count ? ` over ${figure.count}` : '';
  const detail = bounds
    ? `${rule.metric} ${num(figure.value)}${over}; ${bounds.test} one-sided bounds [${num(bounds.low)}, ${num(bounds.high)}]`
    : `${rule.metric} ${num(figure.value)}${over}; no test (point comparison)`;
  return { verdict, value: figure.value, threshold, found, detail };
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
  const judged =
    rule.type === 'drop'
      ? dropVerdict(rule, w, figure, life.hysteresis)
      : objectiveVerdict(rule, w, figure, life.hysteresis);
  if (!judged) return null;
  return {
    kind: 'PERFORMANCE',
    rule: `performance.${name}`,
    lifecycle: life,
    metric: rule.type === 'drop' ? `${rule.metric}_drop_pct` : rule.metric,
    verdict: judged.verdict,
    value: judged.value,
    threshold: judged.threshold,
    evidence: [judged.found, ...recallDrops(w.metrics)],
    detail: judged.detail,
  };
}

/** The PERFORMANCE conditions of a performance window, one per enabled rule whose figure the window has. */
export function performanceConditions(w: PerformanceWindow, rules: ModelRules): Condition[] {
  return Object.entries(rules.rules.performance)
    .filter(([, rule]) => rule.enabled)
    .map(([name, rule]) => performanceCondition(name, rule, w, rules))
    .filter((c): c is Condition => c !== null);
}
