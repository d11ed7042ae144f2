// The only module that imports kafkajs: a seam so another KafkaJS-compatible client can be measured against it.
// Our patches go into the require cache before kafkajs loads.
import './kafkajs-patches.ts';
import kafkajs, {
  AssignerProtocol,
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type AdminConfig,
  type Consumer,
  type ConsumerConfig,
  type ConsumerRunConfig,
  type GroupMember,
  type KafkaConfig,
  type PartitionAssigner,
  type LogEntry,
} from 'kafkajs';
import { readFileSync } from 'node:fs';
import type { DriftlineConfig } from '../config/settings.ts';
import { ConfigError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { KAFKA_CODECS } from './compression-codecs.ts';
import { setIdleFetchWait } from './idle-fetch.ts';
import { retryingOutages } from './outage-retry.ts';
import {
  assignBySubscription,
  partitionsOfSubscribed,
  type TopicPartitions,
} from './subscription-assigner.ts';
import { RETRIED_ADMIN_CALLS, RETRIED_CONSUMER_CALLS, retryTransient } from './transient-retry.ts';
import { describeUndecodableBatch } from './undecodable-batch.ts';
import { reportingUndecodable, type UndecodableBatchSeen } from './undecodable-report.ts';

export type { UndecodableBatchSeen };
export type {
  Admin,
  Consumer,
  ConsumerRunConfig,
  EachBatchPayload,
  IHeaders,
  KafkaMessage,
  Message,
  Producer,
  Transaction,
} from 'kafkajs';
export { AssignerProtocol, Kafka, logLevel, Partitioners };
// Node's ESM loader does not see these two among kafkajs' CommonJS exports (they are not plain names there).
const { CompressionCodecs, CompressionTypes } = kafkajs;
export { CompressionTypes };

// Every codec Kafka defines, registered once for every client of the process: consumers read any producer's
// batches, and any send may ask for `compression: CompressionTypes.<codec>`.
CompressionCodecs[CompressionTypes.GZIP] = () => KAFKA_CODECS.gzip;
CompressionCodecs[CompressionTypes.Snappy] = () => KAFKA_CODECS.snappy;
CompressionCodecs[CompressionTypes.LZ4] = () => KAFKA_CODECS.lz4;
CompressionCodecs[CompressionTypes.ZSTD] = () => KAFKA_CODECS.zstd;

// kafkajs 2 already uses the Java client's murmur2 partitioner, the one every Driftline topic assumes; the
// warning about the old default is noise.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

type KafkaSettings = Pick<
  DriftlineConfig,
  'kafkaBrokers' | 'kafkaClientId' | 'kafkaSasl' | 'kafkaUsername' | 'kafkaPassword' | 'kafkaSsl'
> &
  Partial<
    Pick<
      DriftlineConfig,
      'kafkaSslCaFile' | 'kafkaFetchMinBytes' | 'kafkaFetchMaxWaitMs' | 'kafkaFetchIdleWaitMs'
    >
  >;

export interface KafkaHooks {
  /** Called (after the log line) for each undecodable batch a consumer of this client meets: a metric. */
  onUndecodableBatch?: (batch: UndecodableBatchSeen) => void;
}

/**
 * A Kafka client for one service, logging through the service's logger. Its consumers log (with topic,
 * partition and offsets) and report every undecodable batch they meet before the service's handler sees it.
 */
export function createKafka(
  config: KafkaSettings,
  service: string,
  logger: Logger,
  hooks: KafkaHooks = {},
): Kafka {
  const options: KafkaConfig = {
    clientId: `${config.kafkaClientId}-${service}`,
    brokers: config.kafkaBrokers,
    ssl: kafkaTls(config),
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => logEntry(logger, entry),
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10_000 },
  };
  if (config.kafkaSasl) {
    options.sasl = {
      mechanism: config.kafkaSasl,
      username: config.kafkaUsername,
      password: config.kafkaPassword,
    } as KafkaConfig['sasl'];
  }
  const fetch = {
    minBytes: config.kafkaFetchMinBytes ?? 1,
    maxWaitTimeInMs: config.kafkaFetchMaxWaitMs ?? 5000,
  };
  // Process-wide (kafkajs' Broker#fetch is patched once): every client of a service is made from one config. A
  // client made from a partial config (a tool, a test) leaves the wait as it is rather than turning it off.
  if (config.kafkaFetchIdleWaitMs !== undefined) setIdleFetchWait(config.kafkaFetchIdleWaitMs);
  return new DriftlineKafka(options, fetch, logger, (seen) => {
    logger.error(
      { ...seen, offset: seen.lastOffset },
      `${describeUndecodableBatch(seen)}; handed on as one rejected record`,
    );
    hooks.onUndecodableBatch?.(seen);
  });
}

/**
 * kafkajs' `ssl` option: off, on with the system's CAs, or on with the CAs of DRIFTLINE_KAFKA_SSL_CA_FILE (the
 * host name, an IP address included, is still checked against the certificate).
 * @throws ConfigError (not retriable) naming the setting when the CA file is set without TLS or cannot be read.
 */
export function kafkaTls(config: KafkaSettings): KafkaConfig['ssl'] {
  const caFile = config.kafkaSslCaFile ?? '';
  if (!caFile) return config.kafkaSsl;
  if (!config.kafkaSsl)
    throw new ConfigError('DRIFTLINE_KAFKA_SSL_CA_FILE', 'is set but DRIFTLINE_KAFKA_SSL is false');
  try {
    return { ca: [readFileSync(caFile, 'utf8')] };
  } catch (error) {
    throw new ConfigError(
      'DRIFTLINE_KAFKA_SSL_CA_FILE',
      `cannot read ${caFile}: ${(error as Error).message}`,
    );
  }
}

/** Each member's subscribed topics, read from the metadata it joined its group with. */
export function memberSubscriptions(members: readonly GroupMember[]): Map<string, ReadonlySet<string>> {
  return new Map(
    members.map((m) => [
      m.memberId,
      new Set(AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? []),
    ]),
  );
}

/** The members' assignments, encoded for the group coordinator. */
export function encodeAssignments(assignment: ReadonlyMap<string, TopicPartitions>) {
  return [...assignment.entries()].map(([memberId, assignment]) => ({
    memberId,
    memberAssignment: AssignerProtocol.MemberAssignment.encode({
      version: 1,
      assignment,
      userData: Buffer.alloc(0),
    }),
  }));
}

const SUBSCRIBED_ROUND_ROBIN = 'DriftlineSubscribedRoundRobin';

/** Every consumer's default assigner: `assignBySubscription` (subscription-assigner.ts). */
export const subscriptionAssigner: PartitionAssigner = ({ cluster }) => ({
  name: SUBSCRIBED_ROUND_ROBIN,
  version: 1,
  async assign({ members }) {
    const subscriptions = memberSubscriptions(members);
    const partitions = await partitionsOfSubscribed(cluster, subscriptions);
    return encodeAssignments(assignBySubscription(subscriptions, partitions));
  },
  protocol({ topics }) {
    const metadata = AssignerProtocol.MemberMetadata.encode({
      version: 1,
      topics,
      userData: Buffer.alloc(0),
    });
    return { name: SUBSCRIBED_ROUND_ROBIN, metadata };
  },
});

/** How long and for how many bytes a consumer's fetch waits by default (DRIFTLINE_KAFKA_FETCH_*). */
type FetchDefaults = Pick<ConsumerConfig, 'minBytes' | 'maxWaitTimeInMs'>;

/**
 * kafkajs' client with five additions: its consumers fetch with the deployment's fetch wait (DRIFTLINE_KAFKA_FETCH_*,
 * unless a consumer sets its own), deal partitions only to members subscribed to them
 * (subscriptionAssigner, unless another is given), its consumers report stand-ins for undecodable batches, a handler that
 * gave up on a server still away has its batch read again in-process (outage-retry.ts), and admin and
 * subscribe calls retry transient broker answers kafkajs gives up on (transient-retry.ts).
 */
class DriftlineKafka extends Kafka {
  constructor(
    options: KafkaConfig,
    private readonly fetch: FetchDefaults,
    private readonly log: Logger,
    private readonly report: (seen: UndecodableBatchSeen) => void,
  ) {
    super(options);
  }

  override consumer(config: ConsumerConfig): Consumer {
    // kafkajs' own round-robin stays listed second, so a group mid-upgrade still agrees on a protocol.
    const partitionAssigners = config.partitionAssigners ?? [
      subscriptionAssigner,
      kafkajs.PartitionAssigners.roundRobin,
    ];
    const consumer = retryTransient(
      super.consumer({ ...this.fetch, ...config, partitionAssigners }),
      RETRIED_CONSUMER_CALLS,
      this.log,
    );
    const run = consumer.run.bind(consumer);
    consumer.run = (runConfig?: ConsumerRunConfig) =>
      run(reportingUndecodable(retryingOutages(runConfig), this.report));
    return consumer;
  }

  override admin(config?: AdminConfig): Admin {
    return retryTransient(super.admin(config), RETRIED_ADMIN_CALLS, this.log);
  }
}

function logEntry(logger: Logger, { level, log, namespace }: LogEntry): void {
  const { message, ...extra } = log;
  const fields = { kafka: namespace, ...extra };
  if (level === logLevel.ERROR) logger.error(fields, message);
  else if (level === logLevel.WARN) logger.warn(fields, message);
  else logger.debug(fields, message);
}
