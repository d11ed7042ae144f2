import { createServer } from 'node:http';
import { Counter } from 'prom-client';
import { ConfigError } from '../../core/src/errors.ts';
import { Partitioners } from '../../core/src/kafka/client.ts';
import { exitOnStartupError, startService } from '../../core/src/runtime/service-runtime.ts';
import { Admission } from './admission.ts';
import { handleRequest, type Route } from './handler.ts';
import { loadIngestSettings } from './settings.ts';
import { validateEvents } from './validate-events.ts';

/**
 * HTTP ingest: JSON inference and ground-truth events (one or a batch) for model servers that cannot speak
 * Kafka, checked like Kafka input and produced as Avro in the wire format, keyed by prediction_id through the
 * Java client's murmur2 partitioner, by an idempotent producer.
 */
async function main(): Promise<void> {
  const settings = loadIngestSettings();
  if (settings.token === '')
    throw new ConfigError('DRIFTLINE_INGEST_TOKEN', 'must be set: the endpoint writes to Kafka');
  const rt = await startService('ingest');
  const { topics, codecs, metrics, logger } = rt;
  // acks=all and idempotence: a retried send is not written twice; murmur2 (kafkajs 2's default) puts a key
  // where the Java client would, so the label joiner never has to forward it.
  const producer = rt.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  rt.onShutdown(() => producer.disconnect());
  const events = new Counter({
    name: 'driftline_ingest_events_total',
    help: 'Events received over HTTP, by topic and outcome (accepted, rejected to the dead-letter topic).',
    labelNames: ['topic', 'outcome'],
    registers: [metrics.registry],
  });
  const refused = new Counter({
    name: 'driftline_ingest_refused_requests_total',
    help: 'Requests refused as a whole, by HTTP status (401, 413, 429, 503, ...).',
    labelNames: ['status'],
    registers: [metrics.registry],
  });
  const routes = new Map<string, Route>([
    ['/v1/inference', { topic: topics.inference, validate: (e) => validateEvents(e, codecs.inference) }],
    [
      '/v1/ground-truth',
      { topic: topics.groundTruth, validate: (e) => validateEvents(e, codecs.groundTruth) },
    ],
  ]);
  const deps = {
    ...settings,
    routes,
    deadLetterTopic: topics.deadLetter,
    admission: new Admission(settings.maxInFlightBytes),
    send: async (topic: string, messages: { key: string | null; value: Buffer }[]) => {
      await producer.send({ topic, acks: -1, messages });
    },
    onOutcome: (topic: string, accepted: number, rejected: number) => {
      events.inc({ topic, outcome: 'accepted' }, accepted);
      events.inc({ topic, outcome: 'rejected' }, rejected);
    },
    onRefused: (status: number) => refused.inc({ status: String(status) }),
  };
  const server = createServer((req, res) => void handleRequest(req, res, deps));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, resolve);
  });
  rt.onShutdown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  logger.info({ host: settings.host, ingestPort: settings.port }, 'ingest endpoint listening');
  rt.setReady(true);
}

main().catch((error: unknown) => exitOnStartupError('ingest', error));
