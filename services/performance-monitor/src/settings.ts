import { z } from 'zod';
import { registerSettings } from '../../core/src/config/load.ts';
import { setting, settingKinds } from '../../core/src/config/settings.ts';
import {
  parseBaseline,
  parseComparisons,
  parseDurationList,
  parseOptionalDuration,
} from './settings-parse.ts';

const { text, positiveInt, nonNegativeInt, duration } = settingKinds;

/** A comma-separated list that may be empty (core's `list` requires one item). */
const optionalList = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/**
 * The performance monitor's own settings (DRIFTLINE_PERF_*). Values are parsed and checked here; checks that
 * span two settings live in `resolveProcessorOptions`. Every error names the environment variable.
 */
export const PERFORMANCE_SETTINGS = {
  groupId: setting(
    'DRIFTLINE_PERF_GROUP_ID',
    'driftline-performance-monitor',
    text,
    'Consumer group of the performance monitor; also the prefix of its transactional ids.',
  ),
  windows: setting(
    'DRIFTLINE_PERF_WINDOWS',
    '5m,1h,1d',
    parseDurationList,
    'Tumbling event-time window sizes (on the prediction time), e.g. `5m,1h,1d`; multiples of the bucket.',
  ),
  bucket: setting(
    'DRIFTLINE_PERF_BUCKET',
    '1m',
    parseDurationList.refine((l) => l.length === 1, 'must be one duration'),
    'Size of the mergeable buckets in `performance_buckets` (confusion counts, error sums).',
  ),
  allowedLateness: setting(
    'DRIFTLINE_PERF_ALLOWED_LATENESS',
    '',
    parseOptionalDuration,
    "How far behind the model's stream time a labeled prediction may be and still update its windows; empty: DRIFTLINE_ALLOWED_LATENESS_MS.",
  ),
  maxJoinerSkew: setting(
    'DRIFTLINE_PERF_MAX_JOINER_SKEW',
    '6h',
    duration,
    "A model's windows close on the slowest label-joiner task bringing its pairs (a backfill runs the tasks at different paces), unless that task lags the fastest by more than this: it then no longer holds them open, and its pairs beyond the allowed lateness are counted late. `0`: the fastest task's time, as Kafka Streams' stream time.",
  ),
  rollingSize: setting(
    'DRIFTLINE_PERF_ROLLING_N',
    '1000',
    nonNegativeInt,
    'Rolling window over the last N labeled predictions per model, version and segment; 0 turns it off.',
  ),
  rollingEvery: setting(
    'DRIFTLINE_PERF_ROLLING_EVERY',
    '0',
    nonNegativeInt,
    'Emit rolling-window rows every this many labeled predictions; 0: every N.',
  ),
  segmentTags: setting(
    'DRIFTLINE_PERF_SEGMENT_TAGS',
    '',
    optionalList,
    'Tags whose values get their own figures (segment `tag=value`), e.g. `region,arm`; all traffic is segment ``.',
  ),
  baseline: setting(
    'DRIFTLINE_PERF_BASELINE',
    'labels:2000',
    parseBaseline,
    'Baseline per model version: `labels:N` (its first N labeled predictions, per segment), `first:N` (first N complete windows of each size), `period:<from>/<to>` (ISO-8601 event-time range) or `off`. Windows holding baseline samples show none.',
  ),
  compare: setting(
    'DRIFTLINE_PERF_COMPARE',
    'auto',
    parseComparisons,
    'Version comparisons: `auto` (each version against the first in release order of names: `v2` before `v10`; name versions so, or list pairs), `off`, or `model:baseline:candidate,...` (`*` for any model).',
  ),
  armTag: setting(
    'DRIFTLINE_PERF_ARM_TAG',
    'arm',
    z.string(),
    'Tag naming the A/B arm or shadow role of a version, recorded in `version_comparisons`.',
  ),
  compareTest: setting(
    'DRIFTLINE_PERF_COMPARE_TEST',
    'two_proportion_z',
    z.enum(['two_proportion_z', 'chi_square_2x2']),
    "Test for classifier accuracy; regressors always use Welch's t-test on absolute errors.",
  ),
  alpha: setting(
    'DRIFTLINE_PERF_ALPHA',
    '0.05',
    z.coerce.number().gt(0).lt(1),
    'Significance level of the version comparison (two-sided).',
  ),
  compareMinSamples: setting(
    'DRIFTLINE_PERF_COMPARE_MIN_SAMPLES',
    '30',
    z.coerce.number().int().min(2),
    'Fewer labeled predictions than this in either arm gives the verdict `insufficient_data`.',
  ),
  concurrency: setting(
    'DRIFTLINE_PERF_CONCURRENCY',
    '2',
    positiveInt,
    'Partitions processed at once (each has its own transaction).',
  ),
  sessionTimeoutMs: setting(
    'DRIFTLINE_PERF_SESSION_TIMEOUT_MS',
    '10000',
    z.coerce.number().int().min(6000),
    'Consumer group session timeout: how long a dead instance holds its partitions (a restarted instance is ready after about this long).',
  ),
  fetchMaxBytes: setting(
    'DRIFTLINE_PERF_FETCH_MAX_BYTES',
    '4194304',
    positiveInt,
    'Largest fetch per partition: bigger batches mean fewer transactions.',
  ),
};

registerSettings('performance-monitor', PERFORMANCE_SETTINGS);
