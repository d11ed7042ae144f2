import { z } from 'zod';
import { loadSettings, registerSettings, type SettingsOf } from '../../core/src/config/load.ts';
import { setting, settingKinds } from '../../core/src/config/settings.ts';

const { port, positiveInt } = settingKinds;

/** The HTTP ingest's own settings (DRIFTLINE_INGEST_*). Kafka, the registry and topics are the core's. */
export const INGEST_SETTINGS = {
  token: setting(
    'DRIFTLINE_INGEST_TOKEN',
    '',
    z.string(),
    'Bearer token every POST must carry (secret: from the environment only); empty: the service refuses to start.',
  ),
  host: setting(
    'DRIFTLINE_INGEST_HOST',
    '127.0.0.1',
    z.string().min(1, 'must not be empty'),
    'Address the ingest endpoint listens on; loopback unless a proxy with TLS stands in front.',
  ),
  port: setting(
    'DRIFTLINE_INGEST_PORT',
    '9470',
    port,
    'Port of the ingest endpoint (POST /v1/inference, /v1/ground-truth).',
  ),
  maxBodyBytes: setting(
    'DRIFTLINE_INGEST_MAX_BODY_BYTES',
    '1048576',
    positiveInt,
    'Largest request body; a larger one is refused with 413 before it is read to the end.',
  ),
  maxBatchEvents: setting(
    'DRIFTLINE_INGEST_MAX_BATCH_EVENTS',
    '5000',
    positiveInt,
    'Most events in one request; more is refused with 413.',
  ),
  maxInFlightBytes: setting(
    'DRIFTLINE_INGEST_MAX_IN_FLIGHT_BYTES',
    '33554432',
    positiveInt,
    'Request bytes held at once (read, validated, or waiting for Kafka); a request beyond gets 429 with Retry-After: memory stays bounded when Kafka is slow.',
  ),
  sendTimeoutMs: setting(
    'DRIFTLINE_INGEST_SEND_TIMEOUT_MS',
    '10000',
    positiveInt,
    'How long a request waits for Kafka to acknowledge its events; then 503 with Retry-After (re-sending is safe: duplicates count once).',
  ),
};

registerSettings('ingest', INGEST_SETTINGS);

export type IngestSettings = SettingsOf<typeof INGEST_SETTINGS>;

/** @throws ConfigError naming the variable. */
export function loadIngestSettings(env: Record<string, string | undefined> = process.env): IngestSettings {
  return loadSettings(INGEST_SETTINGS, env);
}
