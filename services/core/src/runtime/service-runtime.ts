import { Counter } from 'prom-client';
import { loadConfig, redact } from '../config/load.ts';
import type { DriftlineConfig } from '../config/settings.ts';
import { topicNames, type TopicNames } from '../config/topics.ts';
import { createClickHouse, type ClickHouseClient } from '../clickhouse/client.ts';
import { migrate } from '../clickhouse/migrate.ts';
import { describe, ServerUnavailableError } from '../errors.ts';
import { createKafka, type Kafka } from '../kafka/client.ts';
import { ensureTopics, topicSpecs } from '../kafka/topics.ts';
import { createLogger, type Logger } from '../logger.ts';
import { startHttpEndpoint, type HttpEndpoint } from '../metrics/http-server.ts';
import { createServiceMetrics, type ServiceMetrics } from '../metrics/service-metrics.ts';
import { withRetry } from '../retry.ts';
import { EXIT_CODES, isTemporaryFailure } from './exit-codes.ts';
import { createCodecs, registerSchemas, type Codecs } from '../serde/codecs.ts';
import { SchemaRegistryClient } from '../serde/schema-registry.ts';

/** What every service gets at start-up: checked config, logs, metrics, clients, registered schemas. */
export interface ServiceRuntime {
  service: string;
  config: DriftlineConfig;
  topics: TopicNames;
  logger: Logger;
  metrics: ServiceMetrics;
  kafka: Kafka;
  clickhouse: ClickHouseClient;
  codecs: Codecs;
  http: HttpEndpoint;
  setReady: (ready: boolean) => void;
  /** Runs `close` callbacks in reverse order of registration on SIGTERM/SIGINT, then exits. */
  onShutdown: (close: () => Promise<void>) => void;
}

/**
 * Starts the common parts of a service. Fails fast with a message naming the server that did not answer
 * (after retries) or the setting that is wrong.
 */
export async function startService(service: string, env = process.env): Promise<ServiceRuntime> {
  const config = loadConfig(env);
  const logger = createLogger(service, config.logLevel);
  logger.info({ config: redact(config) }, 'starting');
  const metrics = createServiceMetrics(service);
  let ready = false;
  const http = await startHttpEndpoint(
    metrics.registry,
    { live: () => true, ready: () => ready },
    config.httpHost,
    config.httpPort,
  );
  logger.info({ port: http.port, host: config.httpHost }, 'metrics and health endpoint listening');
  const topics = topicNames(config);
  const undecodable = new Counter({
    name: 'driftline_kafka_undecodable_batches_total',
    help: 'Record batches a consumer could not decompress or decode, each handed on as one rejected record.',
    labelNames: ['topic', 'codec'],
    registers: [metrics.registry],
  });
  const kafka = createKafka(config, service, logger, {
    onUndecodableBatch: ({ topic, codec }) => undecodable.inc({ topic, codec }),
  });
  const clickhouse = createClickHouse(config);
  const registry = new SchemaRegistryClient({
    url: config.registryUrl,
    username: config.registryUsername,
    password: config.registryPassword,
  });
  const codecs = createCodecs(registry);
  const retry = {
    attempts: 12,
    maxMs: 5000,
    onRetry: (e: unknown, n: number) =>
      logger.warn({ attempt: n, error: describe(e) }, 'server not ready, retrying'),
  };

  await withRetry(() => pingClickHouse(clickhouse, config.clickhouseUrl), retry);
  await withRetry(() => migrate(clickhouse, config.clickhouseDatabase), retry);
  await withRetry(() => provisionTopics(kafka, config), retry);
  await withRetry(() => registerSchemas(registry, codecs, topics), retry);

  const closers: (() => Promise<void>)[] = [async () => clickhouse.close(), () => http.close()];
  installSignalHandlers(logger, closers);
  return {
    service,
    config,
    topics,
    logger,
    metrics,
    kafka,
    clickhouse,
    codecs,
    http,
    setReady: (r) => {
      ready = r;
    },
    onShutdown: (close) => closers.push(close),
  };
}

async function pingClickHouse(client: ClickHouseClient, url: string): Promise<void> {
  const ping = await client.ping();
  if (!ping.success)
    throw new ServerUnavailableError(
      'clickhouse',
      `no answer at ${url}: ${describe(ping.error)}`,
      ping.error,
    );
}

async function provisionTopics(kafka: Kafka, config: DriftlineConfig): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await ensureTopics(admin, topicSpecs(config));
  } catch (error) {
    throw new ServerUnavailableError(
      'kafka',
      `cannot provision topics at ${config.kafkaBrokers.join(',')}: ${describe(error)}`,
      error,
    );
  } finally {
    await admin.disconnect();
  }
}

function installSignalHandlers(logger: Logger, closers: (() => Promise<void>)[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing the batch, committing, closing');
    for (const close of [...closers].reverse()) {
      try {
        await close();
      } catch (error) {
        logger.warn({ error: describe(error) }, 'error while closing');
      }
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * Logs a start-up failure in one readable line and exits non-zero: 75 when a later start can succeed (a server
 * away, Kafka metadata not ready: `driftline up` restarts it), 1 when not (a bad setting). See exit-codes.ts.
 */
export function exitOnStartupError(service: string, error: unknown): never {
  const logger = createLogger(service);
  const temporary = isTemporaryFailure(error);
  logger.fatal(
    {
      error: describe(error),
      cause: describe((error as Error)?.cause ?? ''),
      temporary,
      stack: (error as Error)?.stack,
    },
    `cannot start ${service}: ${describe(error)}`,
  );
  process.exit(temporary ? EXIT_CODES.temporary : EXIT_CODES.failed);
}
