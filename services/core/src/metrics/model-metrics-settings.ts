import type { z } from 'zod';
import { setting, settingKinds } from '../config/settings.ts';

/**
 * The cap on per-model Prometheus series, shared by every service that writes them (model-metrics.ts). Its own
 * table, so that a service loads it without the whole core configuration.
 */
export const MODEL_METRICS_SETTINGS = {
  maxModelVersions: setting(
    'DRIFTLINE_METRICS_MAX_MODEL_VERSIONS',
    '50',
    settingKinds.positiveInt,
    'Model/version label pairs a service gives their own per-model Prometheus series; any further pair is counted under model_id="__other__" (driftline_model_series_overflow_total counts its observations).',
  ),
};

// Spelled out rather than SettingsOf (config/load.ts), which imports this table: no import cycle.
type Table = typeof MODEL_METRICS_SETTINGS;
export type ModelMetricsSettings = { [K in keyof Table]: z.output<Table[K]['schema']> };
