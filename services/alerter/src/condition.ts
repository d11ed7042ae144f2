import type { AlertKind, Evidence } from '../../core/src/records/records.generated.ts';
import type { LifecycleOptions, Verdict } from './lifecycle.ts';
import type { Lifecycle } from './rules/schema.ts';

/** What one rule says about one window, before the lifecycle decides whether anyone hears about it. */
export interface Condition {
  kind: AlertKind;
  /** The alert's metric: with the model, version and kind, the identity of an open alert. */
  metric: string;
  /** `group.name` of the rule, for messages. */
  rule: string;
  verdict: Verdict;
  value: number;
  /** The threshold crossed (critical when critical, else warning). */
  threshold: number;
  /** The rule's own evidence: the features, classes or tests behind the value. */
  evidence: Evidence[];
  lifecycle: LifecycleOptions;
  /** The statistics behind the verdict in words, for the message (performance rules); empty when none. */
  detail?: string;
}

/** A rule's lifecycle: the section's defaults with the rule's own overrides. */
export function lifecycleOf(
  defaults: Lifecycle,
  rule: Partial<Lifecycle>,
): LifecycleOptions & { hysteresis: number } {
  return {
    forWindows: rule.for_windows ?? defaults.for_windows,
    resolveWindows: rule.resolve_windows ?? defaults.resolve_windows,
    renotifyAfterMs: rule.renotify_after ?? defaults.renotify_after,
    hysteresis: rule.hysteresis ?? defaults.hysteresis,
  };
}

/** An Evidence record with the optional fields filled. */
export function evidence(
  subject: string,
  subjectType: 'feature' | 'class' | 'metric' | 'detector' | 'operational' | 'policy',
  method: string,
  score: number,
  extra: Partial<Omit<Evidence, 'subject' | 'subject_type' | 'method' | 'score'>> = {},
): Evidence {
  const finite = (x: number | null | undefined) =>
    x === undefined || x === null || !Number.isFinite(x) ? null : x;
  const out: Evidence = {
    subject,
    subject_type: subjectType,
    method,
    score: Number.isFinite(score) ? score : 0,
    p_value: finite(extra.p_value),
    threshold: finite(extra.threshold),
  };
  // The verdict's statistics only when known, so evidence without them stays as it was.
  for (const key of ['interval_low', 'interval_high', 'baseline', 'effect_size'] as const) {
    if (finite(extra[key]) !== null) out[key] = extra[key];
  }
  if (extra.baseline_count != null) out.baseline_count = extra.baseline_count;
  if (extra.sample_count != null) out.sample_count = extra.sample_count;
  if (extra.test) out.test = extra.test;
  if (extra.baseline_source) out.baseline_source = extra.baseline_source;
  return out;
}

/** The threshold a verdict crossed, for the Alert's `threshold`. */
export function crossed(verdict: Verdict, warning: number, critical: number): number {
  return verdict.level === 'breach' && verdict.severity === 'CRITICAL' ? critical : warning;
}
