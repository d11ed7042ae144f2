import { z } from 'zod';
import { registerSettings, type SettingsOf } from '../../core/src/config/load.ts';
import { setting, settingKinds } from '../../core/src/config/settings.ts';
import { durationName } from '../../core/src/windows/duration.ts';

const { text, positiveInt, duration, wholeSecondsDuration } = settingKinds;

/** The window size in the normal form performance_metrics.window_size uses (`60m` → `1h`), with its length in ms. */
const windowSize = wholeSecondsDuration.transform((ms) => ({ label: durationName(ms), ms }));

/** The estimator's own settings (DRIFTLINE_ESTIMATOR_*), documented in the README's configuration table. */
export const ESTIMATOR_SETTINGS = {
  groupId: setting(
    'DRIFTLINE_ESTIMATOR_GROUP_ID',
    'driftline-estimator',
    text,
    'Consumer group of the performance estimator on the inference topic.',
  ),
  calibrationGroupId: setting(
    'DRIFTLINE_ESTIMATOR_CALIBRATION_GROUP_ID',
    'driftline-estimator-calibration',
    text,
    "Consumer group of the estimator's calibration on the joined-predictions topic.",
  ),
  window: setting(
    'DRIFTLINE_ESTIMATOR_WINDOW',
    '1h',
    windowSize,
    'Event-time tumbling window of the estimates (whole seconds): one of DRIFTLINE_PERF_WINDOWS, so estimates sit beside realized figures; the alerter judges those of DRIFTLINE_ALERTER_PERF_WINDOW.',
  ),
  graceMs: setting(
    'DRIFTLINE_ESTIMATOR_GRACE',
    '1m',
    duration,
    "How far behind its model's stream time a prediction may be and still update its window's estimate.",
  ),
  referenceLabels: setting(
    'DRIFTLINE_ESTIMATOR_REFERENCE_LABELS',
    '2000',
    positiveInt,
    "A model version's calibration is learned from its first N labeled predictions (then fixed); its predictions are estimated from then on.",
  ),
  bandZ: setting(
    'DRIFTLINE_ESTIMATOR_BAND_Z',
    '1.96',
    z.coerce.number().gt(0, 'must be > 0'),
    'Half-width of the sampling-error band in standard errors (1.96: 95%).',
  ),
  divergenceWindows: setting(
    'DRIFTLINE_ESTIMATOR_DIVERGENCE_WINDOWS',
    '3',
    positiveInt,
    "Consecutive final windows with the realized accuracy outside the estimate's band before the concept-drift signal is set.",
  ),
  idleMs: setting(
    'DRIFTLINE_ESTIMATOR_IDLE',
    '10m',
    duration,
    'A model that sent no prediction for this long (wall clock) has its open windows estimated; `0s`: never.',
  ),
  closeIntervalMs: setting(
    'DRIFTLINE_ESTIMATOR_CLOSE_INTERVAL',
    '1s',
    duration,
    'How often (wall clock) windows are closed and realized figures are looked up.',
  ),
  batchSize: setting(
    'DRIFTLINE_ESTIMATOR_BATCH_SIZE',
    '5000',
    positiveInt,
    'Events per batch at most (one partial-state write per touched window per batch).',
  ),
};

export type EstimatorSettings = SettingsOf<typeof ESTIMATOR_SETTINGS>;

registerSettings('estimator', ESTIMATOR_SETTINGS);
