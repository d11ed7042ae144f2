import { hostname } from 'node:os';
import { z } from 'zod';
import { loadSettings, registerSettings, type SettingsOf } from '../../core/src/config/load.ts';
import { setting, settingKinds } from '../../core/src/config/settings.ts';

const { text, positiveInt, nonNegativeInt, bool } = settingKinds;

/**
 * The label joiner's own settings (DRIFTLINE_JOINER_*). The maximum label delay itself is the core's
 * DRIFTLINE_MAX_LABEL_DELAY_MS, shared with the services downstream.
 */
export const JOINER_SETTINGS = {
  groupId: setting(
    'DRIFTLINE_JOINER_GROUP_ID',
    'driftline-label-joiner',
    text,
    'Consumer group of the label joiner; also the prefix of its transactional ids (one per partition).',
  ),
  instanceId: setting(
    'DRIFTLINE_JOINER_INSTANCE_ID',
    '',
    z.string(),
    "Names this instance's state folder (DRIFTLINE_STATE_DIR/label-joiner/<group>/<instance>); empty: the host name. Instances on one host need different ids.",
  ),
  duplicateLabels: setting(
    'DRIFTLINE_JOINER_DUPLICATE_LABELS',
    'first',
    z.enum(['first', 'last']),
    'A second label for a prediction: `first` ignores it; `last` replaces the label and emits a correction downstream.',
  ),
  orphanDelayMs: setting(
    'DRIFTLINE_JOINER_ORPHAN_DELAY_MS',
    '0',
    nonNegativeInt,
    'How long (event time) a label waits for its prediction; 0: DRIFTLINE_MAX_LABEL_DELAY_MS.',
  ),
  deadLetterOrphans: setting(
    'DRIFTLINE_JOINER_DEAD_LETTER_ORPHANS',
    'false',
    bool,
    'Also send expired orphan labels (original bytes) to the dead-letter topic, reason `orphan_label`.',
  ),
  idleMs: setting(
    'DRIFTLINE_JOINER_IDLE_MS',
    '60000',
    positiveInt,
    'A topic partition caught up and silent this long (wall clock) stops holding the watermark back.',
  ),
  maxClockSkewMs: setting(
    'DRIFTLINE_JOINER_MAX_CLOCK_SKEW_MS',
    '1209600000',
    positiveInt,
    "Each model's entries expire on its own event-time clock while it lags the partition's by at most this much (default 14 days: a lagging model or a backfill is joined as if alone); a clock further behind (a model that went quiet for good) is pulled along.",
  ),
  concurrency: setting(
    'DRIFTLINE_JOINER_CONCURRENCY',
    '3',
    positiveInt,
    "Partition batches processed at once (different partitions; a partition's two topics never run together).",
  ),
  expiryBatch: setting(
    'DRIFTLINE_JOINER_EXPIRY_BATCH',
    '10000',
    positiveInt,
    'Expirations per transaction at most; more due entries continue in further transactions.',
  ),
  transactionTimeoutMs: setting(
    'DRIFTLINE_JOINER_TRANSACTION_TIMEOUT_MS',
    '30000',
    positiveInt,
    "Kafka transaction timeout: how long a crashed instance's open transaction can hold its partitions back.",
  ),
  storeCacheMb: setting(
    'DRIFTLINE_JOINER_STORE_CACHE_MB',
    '8',
    positiveInt,
    'LevelDB block cache per partition store, in MiB. Memory does not grow with pending predictions.',
  ),
  fetchBytesPerPartition: setting(
    'DRIFTLINE_JOINER_FETCH_BYTES',
    '1048576',
    positiveInt,
    'Bytes fetched per partition at most: the size of a batch, hence of a transaction.',
  ),
};

registerSettings('label-joiner', JOINER_SETTINGS);

export type JoinerSettings = SettingsOf<typeof JOINER_SETTINGS>;

/**
 * Reads and resolves the joiner's settings (the instance id falls back to the host name).
 * @throws ConfigError (not retriable) naming the environment variable.
 */
export function loadJoinerSettings(env: Record<string, string | undefined> = process.env): JoinerSettings {
  const s = loadSettings(JOINER_SETTINGS, env);
  return { ...s, instanceId: s.instanceId || hostname() };
}
