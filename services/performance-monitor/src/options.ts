import type { SettingsOf } from '../../core/src/config/load.ts';
import type { DriftlineConfig } from '../../core/src/config/settings.ts';
import { ConfigError } from '../../core/src/errors.ts';
import type { PERFORMANCE_SETTINGS } from './settings.ts';
import { durationName, type BaselineMode, type ComparisonMode } from './settings-parse.ts';

export type PerformanceSettings = SettingsOf<typeof PERFORMANCE_SETTINGS>;

/** A tumbling window size with its name in rows (`5m`). */
export interface WindowSize {
  ms: number;
  name: string;
}

/** Everything the pure processor needs; built once from settings, validated. */
export interface ProcessorOptions {
  /** Tumbling window sizes, smallest first; each a multiple of `bucketMs`. */
  windows: WindowSize[];
  bucketMs: number;
  /** A labeled prediction older than the model's stream time minus this is dropped (counted). */
  allowedLatenessMs: number;
  /** How far a joiner task may lag the model's fastest one and still hold its windows open (MergedStreamTime). */
  maxJoinerSkewMs: number;
  /** 0: no rolling window. */
  rollingSize: number;
  rollingEvery: number;
  segmentTags: string[];
  baseline: BaselineMode;
  comparisons: ComparisonMode;
  armTag: string;
  compareTest: 'two_proportion_z' | 'chi_square_2x2';
  alpha: number;
  compareMinSamples: number;
}

/**
 * Checks that span settings and fills in defaults taken from the core settings.
 * @throws ConfigError (not retriable) naming the environment variable.
 */
export function resolveProcessorOptions(
  perf: PerformanceSettings,
  core: Pick<DriftlineConfig, 'allowedLatenessMs'>,
): ProcessorOptions {
  const bucketMs = perf.bucket[0] ?? 60_000;
  for (const ms of perf.windows) {
    if (ms % bucketMs !== 0) {
      throw new ConfigError(
        'DRIFTLINE_PERF_WINDOWS',
        `window ${durationName(ms)} is not a multiple of the bucket ${durationName(bucketMs)} (DRIFTLINE_PERF_BUCKET)`,
      );
    }
  }
  const b = perf.baseline;
  if (b.mode === 'period' && (b.fromMs % bucketMs !== 0 || b.toMs % bucketMs !== 0)) {
    throw new ConfigError(
      'DRIFTLINE_PERF_BASELINE',
      `the reference period must start and end on a bucket boundary (multiples of ${durationName(bucketMs)})`,
    );
  }
  if (perf.rollingSize > 10_000_000) {
    throw new ConfigError('DRIFTLINE_PERF_ROLLING_N', `at most 10000000, got ${perf.rollingSize}`);
  }
  return {
    windows: perf.windows.map((ms) => ({ ms, name: durationName(ms) })),
    bucketMs,
    allowedLatenessMs: perf.allowedLateness ?? core.allowedLatenessMs,
    maxJoinerSkewMs: perf.maxJoinerSkew,
    rollingSize: perf.rollingSize,
    rollingEvery: perf.rollingEvery === 0 ? perf.rollingSize : perf.rollingEvery,
    segmentTags: perf.segmentTags,
    baseline: perf.baseline,
    comparisons: perf.compare,
    armTag: perf.armTag,
    compareTest: perf.compareTest,
    alpha: perf.alpha,
    compareMinSamples: perf.compareMinSamples,
  };
}
