import { z } from 'zod';
import { DETECTOR_NAMES } from '../../../core/src/drift/registry.ts';
import { durationMs } from '../../../core/src/windows/duration.ts';

/**
 * The shape of a rules file (infra/alerting/rules.json): `defaults` and per-model `models.<id>` overrides, both
 * checked by these schemas after merging. Every rule lives at `rules.<group>.<name>`, and an error names that
 * path and the setting (see rules/load.ts).
 */

const DURATION_HINT = 'expected a duration such as "30s", "5m", "6h", "30d"';

/** `30s`, `6h`, `30d` → milliseconds (the core grammar, unit required). */
export const duration = z
  .string({ invalid_type_error: 'expected a duration such as "6h"' })
  .transform((s, ctx) => {
    const ms = durationMs(s, { unit: 'required' });
    if (ms === undefined) ctx.addIssue({ code: 'custom', message: DURATION_HINT });
    return ms ?? z.NEVER;
  });

const pct = z.number().gt(0, 'must be above 0').max(100, 'must be at most 100');
const rate = z.number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]');
const severity = z.enum(['WARNING', 'CRITICAL']);

/** Lifecycle settings; every rule may override them. */
export const lifecycleSchema = z
  .object({
    /** Consecutive breaching windows before FIRING. @default 2 */
    for_windows: z.number().int().min(1),
    /** Consecutive clear windows before RESOLVED. @default 2 */
    resolve_windows: z.number().int().min(1),
    /** How far back past the warning threshold a value must come to count as clear (see grade.ts). @default 0.2 */
    hysteresis: z.number().min(0).max(1),
    /** Re-send a FIRING event while the alert stays open this long (event time). @default 24h */
    renotify_after: duration,
  })
  .strict();

const lifecycleOverride = lifecycleSchema.partial().shape;
const base = { enabled: z.boolean().default(true), ...lifecycleOverride };

/** One-sided significance level of a verdict's test. */
const alpha = z.number().gt(0, 'must be above 0').max(1, 'must be at most 1');

/**
 * How a performance rule weighs sampling noise: `auto` tests the change against the baseline given both
 * sample counts (proportions: two-proportion z with Newcombe's interval; mae: Welch; other figures have no
 * test and compare point values); `none` compares point values only.
 */
const verdictSettings = {
  /** @default "auto" */
  test: z.enum(['auto', 'none']).default('auto'),
  /** One-sided significance level. @default 0.001 */
  alpha: alpha.default(0.001),
  /** Fewer labeled predictions in the window than this: no verdict either way. @default 30 */
  min_samples: z.number().int().min(1).default(30),
};

/** Drift statistics from which a change counts as large (CRITICAL), by test; tests not named never do. */
const largeEffect = z
  .record(z.number().positive())
  .default({ ks: 0.3, wasserstein: 0.5, psi: 0.25, jensen_shannon: 0.2 });

export const performanceRule = z
  .discriminatedUnion('type', [
    z
      .object({
        ...base,
        type: z.literal('drop'),
        metric: z.string().min(1),
        warning_pct: pct,
        critical_pct: pct,
        ...verdictSettings,
      })
      .strict(),
    z
      .object({
        ...base,
        type: z.literal('objective'),
        metric: z.string().min(1),
        warning: z.number(),
        critical: z.number(),
        ...verdictSettings,
      })
      .strict(),
  ])
  .refine((r) => r.type !== 'drop' || r.critical_pct >= r.warning_pct, {
    message: 'must be at least warning_pct',
    path: ['critical_pct'],
  });

export const dataDriftRule = z
  .object({
    ...base,
    warning_share: rate,
    critical_share: rate,
    critical_features: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine((r) => r.critical_share >= r.warning_share, {
    message: 'must be at least warning_share',
    path: ['critical_share'],
  });

export const predictionDriftRule = z
  .object({
    ...base,
    severity,
    /** p-value tests: the output's p-value must be at most this as well. @default 0.001 */
    alpha: alpha.default(0.001),
    large_effect: largeEffect,
  })
  .strict();

/**
 * One DATA_DRIFT alert per drifted feature (metric `feature:<name>`): its decisive test flagged after the
 * drift monitor's multiple-testing correction and, for p-value tests, its Benjamini-Hochberg adjusted p-value
 * (across the window's features) at most `alpha`. WARNING; CRITICAL for a critical feature or a large effect.
 */
export const featureDriftRule = z
  .object({
    ...base,
    /** @default 0.001 */
    alpha: alpha.default(0.001),
    critical_features: z.array(z.string().min(1)).default([]),
    large_effect: largeEffect,
  })
  .strict();

/**
 * One DATA_DRIFT alert per drift that one feature at a time cannot see, when the drift monitor flagged it:
 * `reconstruction_error`, the multivariate row (metric `multivariate`, evidence naming the features whose
 * residuals rose most), or `embedding`, each embedding's MMD (metric `embedding:<name>`). Their thresholds
 * are already calibrated by the drift monitor (a band from held-out reference errors; a false-alarm rate),
 * so the flag stands. Not counted in the dataset share nor in the correction over features.
 */
export const multivariateDriftRule = z
  .object({
    ...base,
    type: z.enum(['reconstruction_error', 'embedding']),
    /** @default "WARNING" */
    severity: severity.default('WARNING'),
  })
  .strict();

export const latencyRule = z
  .object({
    ...base,
    percentile: z.number().gt(0).lt(100),
    warning_ms: z.number().positive(),
    critical_ms: z.number().positive(),
  })
  .strict()
  .refine((r) => r.critical_ms >= r.warning_ms, {
    message: 'must be at least warning_ms',
    path: ['critical_ms'],
  });

export const dataQualityRule = z
  .object({
    ...base,
    type: z.enum(['missing_rate', 'dead_letter_rate']),
    warning_rate: rate,
    critical_rate: rate,
  })
  .strict()
  .refine((r) => r.critical_rate >= r.warning_rate, {
    message: 'must be at least warning_rate',
    path: ['critical_rate'],
  });

export const conceptDriftRule = z
  .object({
    ...base,
    detectors: z.array(z.enum(DETECTOR_NAMES as [string, ...string[]])).min(1),
    severity,
  })
  .strict();

/**
 * SHADOW_AGREEMENT: the share of requests on which a shadow version gave the production version's label (no
 * labels needed), per hourly window. Fires when the agreement is below the objective for certain: with
 * `test: auto`, the one-sided (1 − α) Wilson upper bound of the rate must lie below it, so a few requests
 * that happen to disagree do not page anyone; with fewer than `min_samples` requests, no verdict either way.
 */
export const shadowAgreementRule = z
  .object({
    ...base,
    /** Agreement at or below this: WARNING. @default 0.95 */
    warning: rate.default(0.95),
    /** Agreement at or below this: CRITICAL. @default 0.8 */
    critical: rate.default(0.8),
    ...verdictSettings,
    /** Requests both versions scored in the window before it is judged. @default 100 */
    min_samples: z.number().int().min(1).default(100),
  })
  .strict()
  .refine((r) => r.critical <= r.warning, { message: 'must be at most warning', path: ['critical'] });

/** Rule groups: each maps to an Alert kind. */
export const RULE_GROUPS = {
  performance: performanceRule,
  data_drift: dataDriftRule,
  feature_drift: featureDriftRule,
  multivariate_drift: multivariateDriftRule,
  prediction_drift: predictionDriftRule,
  latency: latencyRule,
  data_quality: dataQualityRule,
  concept_drift: conceptDriftRule,
  shadow_agreement: shadowAgreementRule,
} as const;

export type RuleGroup = keyof typeof RULE_GROUPS;

export const retrainSchema = z
  .object({
    on_critical_performance: z.boolean(),
    on_critical_feature_drift: z.boolean(),
    /** Labeled samples since the last retrain that call for one; 0 turns the reason off. */
    new_labeled_samples: z.number().int().min(0),
    /** Longest time without a retrain (event time); "0s" turns the reason off. */
    max_age: duration,
    min_interval: duration,
    daily_cap: z.number().int().min(0),
    /**
     * Consecutive final windows a critical alert must have breached in before it is a retrain reason
     * (provisional verdicts never are). @default 2
     */
    confirm_windows: z.number().int().min(1).default(2),
  })
  .strict();

/** Early verdicts on open windows (provisional alerts, confirmed or withdrawn when the window is final). */
export const provisionalSchema = z
  .object({
    /** @default true */
    enabled: z.boolean().default(true),
    /** Labeled predictions an open window needs before it is judged. @default 200 */
    min_samples: z.number().int().min(1).default(200),
    /**
     * Significance level for open windows, when below the rule's own: an open window is judged again at every
     * poll as labels arrive, and repeated looks would otherwise inflate false alarms. @default 0.0001
     */
    alpha: alpha.default(0.0001),
  })
  .strict();

/** The effective rules of one model: defaults merged with its overrides. */
export const modelRulesSchema = z
  .object({
    lifecycle: lifecycleSchema,
    provisional: provisionalSchema.default({}),
    rules: z
      .object({
        performance: z.record(performanceRule).default({}),
        data_drift: z.record(dataDriftRule).default({}),
        feature_drift: z.record(featureDriftRule).default({}),
        multivariate_drift: z.record(multivariateDriftRule).default({}),
        prediction_drift: z.record(predictionDriftRule).default({}),
        latency: z.record(latencyRule).default({}),
        data_quality: z.record(dataQualityRule).default({}),
        concept_drift: z.record(conceptDriftRule).default({}),
        shadow_agreement: z.record(shadowAgreementRule).default({}),
      })
      .strict(),
    retrain: retrainSchema,
  })
  .strict();

export type ModelRules = z.output<typeof modelRulesSchema>;
export type Lifecycle = z.output<typeof lifecycleSchema>;
export type PerformanceRule = z.output<typeof performanceRule>;
export type DataDriftRule = z.output<typeof dataDriftRule>;
export type FeatureDriftRule = z.output<typeof featureDriftRule>;
export type MultivariateDriftRule = z.output<typeof multivariateDriftRule>;
export type ProvisionalRules = z.output<typeof provisionalSchema>;
export type PredictionDriftRule = z.output<typeof predictionDriftRule>;
export type LatencyRule = z.output<typeof latencyRule>;
export type DataQualityRule = z.output<typeof dataQualityRule>;
export type ConceptDriftRule = z.output<typeof conceptDriftRule>;
export type ShadowAgreementRule = z.output<typeof shadowAgreementRule>;
export type RetrainRules = z.output<typeof retrainSchema>;

/** The file's top level before merging: overrides are free-form objects, checked after the merge. */
export const rulesFileSchema = z
  .object({
    defaults: z.record(z.unknown()),
    models: z.record(z.record(z.unknown())).default({}),
  })
  .strict();
