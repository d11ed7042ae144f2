import { z } from 'zod';
import { durationMs } from '../windows/duration.ts';

/**
 * Every setting Driftline reads, with its environment variable, default and meaning. This table is the single
 * source for loading, validation and the README's configuration table (`driftline config`).
 */
export interface Setting<T> {
  env: string;
  doc: string;
  default: string;
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
}

const text = z.string().min(1, 'must not be empty');
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().min(1);
const nonNegativeInt = z.coerce.number().int().min(0);
const list = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1, 'must name at least one'));
const url = z.string().url('must be a URL such as http://127.0.0.1:8123');
const bool = z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1');
const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
/**
 * A span of time in the project's one grammar (`500ms`, `30s`, `5m`, `1h`, `1d`; `0` allowed), in ms.
 * `wholeSeconds` where the span bounds windows that tables keep as DateTime (seconds).
 */
function durationOf(rules: { wholeSeconds?: boolean } = {}) {
  return z.string().transform((s, ctx) => {
    const ms = durationMs(s);
    if (ms === undefined)
      ctx.addIssue({
        code: 'custom',
        message: `not a duration: ${JSON.stringify(s)} (use e.g. 500ms, 30s, 5m, 1h, 1d)`,
      });
    else if (rules.wholeSeconds && ms % 1000 !== 0)
      ctx.addIssue({ code: 'custom', message: 'must be a whole number of seconds' });
    else return ms;
    return z.NEVER;
  });
}
const duration = durationOf();
const wholeSecondsDuration = durationOf({ wholeSeconds: true });

export function setting<T>(
  env: string,
  defaultValue: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  doc: string,
): Setting<T> {
  return { env, default: defaultValue, schema, doc };
}

/** Value kinds for settings tables, shared with the services' own tables. */
export const settingKinds = {
  text,
  port,
  positiveInt,
  nonNegativeInt,
  list,
  url,
  bool,
  logLevel,
  duration,
  wholeSecondsDuration,
};

export const SETTINGS = {
  kafkaBrokers: setting(
    'DRIFTLINE_KAFKA_BROKERS',
    '127.0.0.1:9092',
    list,
    'Kafka bootstrap servers, comma-separated.',
  ),
  kafkaClientId: setting('DRIFTLINE_KAFKA_CLIENT_ID', 'driftline', text, 'Client id prefix sent to Kafka.'),
  kafkaSasl: setting(
    'DRIFTLINE_KAFKA_SASL_MECHANISM',
    '',
    z.enum(['', 'plain', 'scram-sha-256', 'scram-sha-512']),
    'SASL mechanism; empty for none.',
  ),
  kafkaUsername: setting(
    'DRIFTLINE_KAFKA_USERNAME',
    '',
    z.string(),
    'SASL user name (secret: from the environment only).',
  ),
  kafkaPassword: setting(
    'DRIFTLINE_KAFKA_PASSWORD',
    '',
    z.string(),
    'SASL password (secret: from the environment only).',
  ),
  kafkaSsl: setting('DRIFTLINE_KAFKA_SSL', 'false', bool, 'Use TLS to reach Kafka.'),
  kafkaSslCaFile: setting(
    'DRIFTLINE_KAFKA_SSL_CA_FILE',
    '',
    z.string(),
    "PEM file of the CA(s) Kafka's TLS certificate is checked against (with DRIFTLINE_KAFKA_SSL=true); empty: the system's CAs.",
  ),
  kafkaSessionTimeoutMs: setting(
    'DRIFTLINE_KAFKA_SESSION_TIMEOUT_MS',
    '10000',
    positiveInt,
    'Consumer session timeout: how soon a crashed instance is replaced in its group.',
  ),
  kafkaFetchMinBytes: setting(
    'DRIFTLINE_KAFKA_FETCH_MIN_BYTES',
    '1048576',
    positiveInt,
    "Bytes a consumer's fetch waits for (up to DRIFTLINE_KAFKA_FETCH_MAX_WAIT_MS) before the broker answers: below about 5 MB/s a fetch waits the whole wait, so a service makes about five batches, inserts, transactions and offset commits a second at any moderate rate instead of one per few records, which kept two cores saturated at 8,000 events/s (1: answer at the first record, as kafkajs does).",
  ),
  kafkaFetchMaxWaitMs: setting(
    'DRIFTLINE_KAFKA_FETCH_MAX_WAIT_MS',
    '200',
    positiveInt,
    'Longest a fetch waits for DRIFTLINE_KAFKA_FETCH_MIN_BYTES: the most a quiet stream adds per consumer hop.',
  ),
  kafkaFetchIdleWaitMs: setting(
    'DRIFTLINE_KAFKA_FETCH_IDLE_WAIT_MS',
    '1000',
    nonNegativeInt,
    'After a fetch that brought no record, the next waits for the first byte, up to this long (a long poll): an idle consumer asks Kafka this often instead of every DRIFTLINE_KAFKA_FETCH_MAX_WAIT_MS, and a record after a lull is handed on at once; a consumer stopped while idle waits up to this for its fetch. 0: every fetch waits for DRIFTLINE_KAFKA_FETCH_MIN_BYTES.',
  ),
  registryUrl: setting(
    'DRIFTLINE_SCHEMA_REGISTRY_URL',
    'http://127.0.0.1:8081/apis/ccompat/v7',
    url,
    'Confluent-compatible Schema Registry base URL.',
  ),
  registryUsername: setting(
    'DRIFTLINE_SCHEMA_REGISTRY_USERNAME',
    '',
    z.string(),
    'Registry basic-auth user (secret).',
  ),
  registryPassword: setting(
    'DRIFTLINE_SCHEMA_REGISTRY_PASSWORD',
    '',
    z.string(),
    'Registry basic-auth password (secret).',
  ),
  clickhouseUrl: setting(
    'DRIFTLINE_CLICKHOUSE_URL',
    'http://127.0.0.1:8123',
    url,
    'ClickHouse HTTP endpoint.',
  ),
  clickhouseUser: setting('DRIFTLINE_CLICKHOUSE_USER', 'default', text, 'ClickHouse user.'),
  clickhousePassword: setting(
    'DRIFTLINE_CLICKHOUSE_PASSWORD',
    '',
    z.string(),
    'ClickHouse password (secret).',
  ),
  clickhouseDatabase: setting(
    'DRIFTLINE_CLICKHOUSE_DATABASE',
    'ml_monitor',
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier'),
    'ClickHouse database for all tables.',
  ),
  topicPrefix: setting('DRIFTLINE_TOPIC_PREFIX', 'ml.', z.string(), 'Prefix of every topic name.'),
  topicPartitions: setting(
    'DRIFTLINE_TOPIC_PARTITIONS',
    '6',
    positiveInt,
    'Partitions of topics Driftline creates; inference and ground truth must match.',
  ),
  topicReplication: setting(
    'DRIFTLINE_TOPIC_REPLICATION_FACTOR',
    '1',
    positiveInt,
    'Replication factor of topics Driftline creates.',
  ),
  topicRetentionMs: setting(
    'DRIFTLINE_TOPIC_RETENTION_MS',
    '604800000',
    positiveInt,
    'Retention of event topics (default 7 days).',
  ),
  httpHost: setting(
    'DRIFTLINE_HTTP_HOST',
    '127.0.0.1',
    text,
    'Address the metrics and health server binds to.',
  ),
  httpPort: setting(
    'DRIFTLINE_HTTP_PORT',
    '0',
    z.coerce.number().int().min(0).max(65535),
    'Port of the metrics and health server; 0 picks a free one.',
  ),
  logLevel: setting('DRIFTLINE_LOG_LEVEL', 'info', logLevel, 'Log level of the JSON logs.'),
  stateDir: setting('DRIFTLINE_STATE_DIR', '.infra-data/state', text, 'Folder for local state stores.'),
  restoreTimeoutMs: setting(
    'DRIFTLINE_RESTORE_TIMEOUT_MS',
    '600000',
    positiveInt,
    'How long a service may take to read a state changelog to its end at start-up or on a new partition before it fails (retriable) and tries again.',
  ),
  // 20,000, not 5,000: a part per insert is what ClickHouse pays for (writing, then merging); in the pipeline
  // benchmark (npx tsx bench/pipeline.ts) flat out, ClickHouse took 11.3-13.0 CPU ms per 1,000 events against
  // 13.6-20.0 at 5,000 (three runs each, the same minutes; DRIFTLINE_SINK_BATCH_SIZE=5000 runs the old value).
  // A fetch (10 MiB at most) holds fewer rows than that at moderate rates, so latency is not touched; rows are
  // encoded as they are decoded, so memory hardly is (the sink's peak RSS 389-427 MB in three runs, 409 MB at
  // 5,000 in the previous round's).
  sinkBatchSize: setting(
    'DRIFTLINE_SINK_BATCH_SIZE',
    '20000',
    positiveInt,
    'Rows per ClickHouse insert at most (of one table, across the partitions of a fetch).',
  ),
  sinkGroupId: setting('DRIFTLINE_SINK_GROUP_ID', 'driftline-sink', text, 'Consumer group of the sink.'),
  sinkEmbeddings: setting(
    'DRIFTLINE_SINK_EMBEDDINGS',
    'false',
    bool,
    "Keep events' embedding vectors in inference_log.embeddings (about 3 KB per 384-d vector); off: the column stays empty.",
  ),
  maxLabelDelayMs: setting(
    'DRIFTLINE_MAX_LABEL_DELAY_MS',
    '1209600000',
    positiveInt,
    'How long a prediction waits for its label (event time; default 14 days).',
  ),
  allowedLatenessMs: setting(
    'DRIFTLINE_ALLOWED_LATENESS_MS',
    '3600000',
    nonNegativeInt,
    'How late an event may be and still update its window.',
  ),
} satisfies Record<string, Setting<unknown>>;

export type SettingName = keyof typeof SETTINGS;
export type DriftlineConfig = { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };

/** Unused ports and sockets, never secrets, may be printed. */
export const SECRET_SETTINGS: ReadonlySet<SettingName> = new Set([
  'kafkaPassword',
  'registryPassword',
  'clickhousePassword',
]);
