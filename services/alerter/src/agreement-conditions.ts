import { proportionBounds } from '../../core/src/performance/index.ts';
import { crossed, evidence, lifecycleOf, type Condition } from './condition.ts';
import { gradeObjective } from './grade.ts';
import type { Verdict } from './lifecycle.ts';
import type { ModelRules, ShadowAgreementRule } from './rules/schema.ts';
import type { AgreementPair, AgreementWindow } from './window.ts';

/** The metric of a shadow version's agreement with one production version: `agreement:<champion>`. */
export const agreementMetric = (champion: string): string => `agreement:${champion}`;

const num = (x: number) => String(Number(x.toPrecision(3)));

/**
 * The verdict on one pair: the agreement rate against the rule's objectives, judged by its one-sided (1 − α)
 * Wilson upper bound with `test: auto` (the rate is below the objective for certain, given the requests) or by
 * the point rate with `test: none`; no verdict with fewer than `min_samples` requests.
 */
function pairVerdict(rule: ShadowAgreementRule, pair: AgreementPair, hysteresis: number) {
  const rate = pair.agreements / pair.requests;
  const bounds =
    rule.test === 'auto'
      ? proportionBounds({ successes: pair.agreements, trials: pair.requests }, rule.alpha)
      : null;
  const judged = bounds ? bounds[1] : rate;
  let verdict: Verdict = gradeObjective(judged, rule.warning, rule.critical, 1, hysteresis);
  if (pair.requests < rule.min_samples) verdict = { level: 'ok' };
  const threshold = crossed(verdict, rule.warning, rule.critical);
  const how = bounds
    ? `wilson_bound one-sided ${num(100 * (1 - rule.alpha))}% upper bound ${num(bounds[1])}`
    : 'no test (point comparison)';
  return {
    verdict,
    rate,
    threshold,
    found: evidence(agreementMetric(pair.champion), 'metric', 'agreement_rate', rate, {
      threshold,
      test: bounds ? 'wilson_bound' : 'none',
      interval_low: bounds?.[0],
      interval_high: bounds?.[1],
      sample_count: pair.requests,
    }),
    detail: `${pair.agreements} of ${pair.requests} shared requests got the same label from ${pair.champion} (agreement ${num(rate)}); ${how}`,
  };
}

function agreementCondition(
  name: string,
  rule: ShadowAgreementRule,
  pair: AgreementPair,
  rules: ModelRules,
): Condition | null {
  if (pair.requests <= 0) return null;
  const life = lifecycleOf(rules.lifecycle, rule);
  const judged = pairVerdict(rule, pair, life.hysteresis);
  return {
    kind: 'SHADOW_AGREEMENT',
    rule: `shadow_agreement.${name}`,
    lifecycle: life,
    metric: agreementMetric(pair.champion),
    verdict: judged.verdict,
    value: judged.rate,
    threshold: judged.threshold,
    evidence: [judged.found],
    detail: judged.detail,
  };
}

/**
 * The SHADOW_AGREEMENT conditions of an agreement window: one per enabled rule and version pair. Each pair is
 * its own alert series (metric `agreement:<champion>` on the shadow version), so a shadow compared with two
 * production versions is judged against each. Pure.
 */
export function agreementConditions(w: AgreementWindow, rules: ModelRules): Condition[] {
  return Object.entries(rules.rules.shadow_agreement)
    .filter(([, rule]) => rule.enabled)
    .flatMap(([name, rule]) => w.pairs.map((p) => agreementCondition(name, rule, p, rules)))
    .filter((c): c is Condition => c !== null);
}
