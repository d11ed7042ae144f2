import { z } from 'zod';
import { registerSettings, type SettingsOf } from '../../core/src/config/load.ts';
import { setting, settingKinds } from '../../core/src/config/settings.ts';
import { DETECTOR_NAMES, isDetectorName, type DetectorName } from '../../core/src/drift/registry.ts';
import { parseFeatureTests, parseTestThresholds, type Parsed } from './feature-tests.ts';

const { text, positiveInt, nonNegativeInt, duration, wholeSecondsDuration } = settingKinds;

/** A zod schema from a parser that returns `Parsed<T>`: the error becomes the ConfigError's message. */
function parsedBy<T>(parse: (s: string) => Parsed<T>) {
  return z.string().transform((s, ctx) => {
    const r = parse(s);
    if (r.ok) return r.value;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: r.error });
    return z.NEVER;
  });
}

const share = z.coerce.number().gt(0, 'must be in (0, 1]').max(1, 'must be in (0, 1]');
const probability = z.coerce.number().gt(0, 'must be in (0, 1)').lt(1, 'must be in (0, 1)');
const correction = z.enum(['none', 'bonferroni', 'bh'], {
  errorMap: () => ({ message: 'valid corrections: none, bonferroni, bh' }),
});
const detectors = parsedBy<DetectorName[]>((s) => {
  const names = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = names.find((n) => !isDetectorName(n));
  if (bad !== undefined)
    return {
      ok: false,
      error: `unknown detector ${JSON.stringify(bad)}; valid detectors: ${DETECTOR_NAMES.join(', ')}`,
    };
  return { ok: true, value: names as DetectorName[] };
});

/** The drift monitor's own settings (DRIFTLINE_DRIFT_*), documented in the README's configuration table. */
export const DRIFT_SETTINGS = {
  groupId: setting(
    'DRIFTLINE_DRIFT_GROUP_ID',
    'driftline-drift-monitor',
    text,
    'Consumer group of the drift monitor on the inference topic.',
  ),
  conceptGroupId: setting(
    'DRIFTLINE_DRIFT_CONCEPT_GROUP_ID',
    'driftline-concept-drift',
    text,
    'Consumer group of the concept-drift detectors on the joined-predictions topic.',
  ),
  windowMs: setting(
    'DRIFTLINE_DRIFT_WINDOW',
    '1h',
    wholeSecondsDuration,
    'Event-time tumbling window of the drift tests (whole seconds: 30s, 5m, 1h, 1d).',
  ),
  graceMs: setting(
    'DRIFTLINE_DRIFT_GRACE',
    '5m',
    duration,
    "How late an event may be (behind its model's stream time on its partition) and still update its window.",
  ),
  correction: setting(
    'DRIFTLINE_DRIFT_CORRECTION',
    'bh',
    correction,
    "Multiple-testing correction of the decisive p-value tests across a window's features: none, bonferroni, bh (Benjamini-Hochberg).",
  ),
  driftShare: setting(
    'DRIFTLINE_DRIFT_SHARE',
    '0.5',
    share,
    "Dataset drift when at least this share of the features drifted (Evidently's drift_share).",
  ),
  featureTests: setting(
    'DRIFTLINE_DRIFT_FEATURE_TESTS',
    '',
    parsedBy(parseFeatureTests),
    'Per-feature test and threshold: feature:test[:threshold],... or a JSON object; tests: ks, wasserstein, psi, jensen_shannon, chi2.',
  ),
  thresholds: setting(
    'DRIFTLINE_DRIFT_THRESHOLDS',
    '',
    parsedBy(parseTestThresholds),
    'Default threshold per test, test:threshold,... (defaults ks:0.05, wasserstein:0.1, psi:0.1, jensen_shannon:0.1, chi2:0.05).',
  ),
  largeWindow: setting(
    'DRIFTLINE_DRIFT_LARGE_WINDOW',
    '1000',
    positiveInt,
    'Window size (non-missing values) above which the default test is a distance (wasserstein, jensen_shannon) instead of a p-value test (ks, chi2); windows up to it keep their raw numeric values for an exact KS (8 bytes per value and column).',
  ),
  missingAlpha: setting(
    'DRIFTLINE_DRIFT_MISSING_ALPHA',
    '0.001',
    probability,
    'Missing-value rate drifts when the two-proportion z-test p-value is at most this.',
  ),
  unseenShare: setting(
    'DRIFTLINE_DRIFT_UNSEEN_SHARE',
    '0.05',
    share,
    'A categorical feature is flagged when this share of the window falls in categories never seen in the reference.',
  ),
  bins: setting(
    'DRIFTLINE_DRIFT_BINS',
    '20',
    z.coerce.number().int().min(2).max(1000),
    'Reference quantile bins per numeric feature when building a profile.',
  ),
  bootstrapEvents: setting(
    'DRIFTLINE_DRIFT_BOOTSTRAP_EVENTS',
    '0',
    nonNegativeInt,
    'When > 0, a model version without a profile gets one built from its first N events in inference_log (needs the sink); 0 turns this off.',
  ),
  idleMs: setting(
    'DRIFTLINE_DRIFT_IDLE',
    '10m',
    duration,
    'A model that sent no event for this long (wall clock) has its open windows closed as if its event time had passed them; `0s`: never.',
  ),
  dedupIds: setting(
    'DRIFTLINE_DRIFT_DEDUP_IDS',
    '200000',
    nonNegativeInt,
    'Prediction ids remembered per source partition over the open windows, to count a re-sent prediction once (about 140 bytes each); beyond it events are counted without their id (driftline_drift_untracked_ids_total).',
  ),
  closeIntervalMs: setting(
    'DRIFTLINE_DRIFT_CLOSE_INTERVAL',
    '1s',
    duration,
    'How often (wall clock) the closer looks for windows whose event time has passed.',
  ),
  lookbackWindows: setting(
    'DRIFTLINE_DRIFT_LOOKBACK_WINDOWS',
    '48',
    positiveInt,
    'How many windows behind the watermark the closer re-checks for late partial states.',
  ),
  profileRefreshMs: setting(
    'DRIFTLINE_DRIFT_PROFILE_REFRESH',
    '10s',
    duration,
    'How often an unknown model version is looked up again in reference_profiles.',
  ),
  detectors: setting(
    'DRIFTLINE_DRIFT_DETECTORS',
    'adwin,page_hinkley,ddm',
    detectors,
    'Concept-drift detectors over the error stream of joined predictions (ddm only for classifiers).',
  ),
  batchSize: setting(
    'DRIFTLINE_DRIFT_BATCH_SIZE',
    '5000',
    positiveInt,
    'Events per batch at most (one partial-state write per touched window per batch).',
  ),
};

export type DriftSettings = SettingsOf<typeof DRIFT_SETTINGS>;

registerSettings('drift-monitor', DRIFT_SETTINGS);
