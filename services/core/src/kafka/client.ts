// The only module that imports kafkajs: a seam so another KafkaJS-compatible client can be measured against it.
// Our patches go into the require cache before kafkajs loads.
import './kafkajs-patches.ts';
import { AssignerProtocol, Kafka, logLevel, Partitioners, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { DriftlineConfig } from '../config/settings.ts';
import type { Logger } from '../logger.ts';

export type {
  Admin,
  Consumer,
  EachBatchPayload,
  IHeaders,
  KafkaMessage,
  Message,
  Producer,
  Transaction,
} from 'kafkajs';
export { AssignerProtocol, Kafka, logLevel, Partitioners };

// kafkajs 2 already uses the Java client's murmur2 partitioner, the one every Driftline topic assumes; the
// warning about the old default is noise.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

type KafkaSettings = Pick<
  DriftlineConfig,
  'kafkaBrokers' | 'kafkaClientId' | 'kafkaSasl' | 'kafkaUsername' | 'kafkaPassword' | 'kafkaSsl'
>;

/** A Kafka client for one service, logging through the service's logger. */
export function createKafka(config: KafkaSettings, service: string, logger: Logger): Kafka {
  const options: KafkaConfig = {
    clientId: `${config.kafkaClientId}-${service}`,
    brokers: config.kafkaBrokers,
    ssl: config.kafkaSsl,
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
  return new Kafka(options);
}

function logEntry(logger: Logger, { level, log, namespace }: LogEntry): void {
  const { message, ...extra } = log;
  const fields = { kafka: namespace, ...extra };
  if (level === logLevel.ERROR) logger.error(fields, message);
  else if (level === logLevel.WARN) logger.warn(fields, message);
  else logger.debug(fields, message);
}
