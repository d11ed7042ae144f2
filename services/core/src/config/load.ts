import { ConfigError } from '../errors.ts';
import type { z } from 'zod';
import { MODEL_METRICS_SETTINGS } from '../metrics/model-metrics-settings.ts';
import { SETTINGS, SECRET_SETTINGS, type DriftlineConfig, type Setting } from './settings.ts';

/** The parsed values of a settings table. */
export type SettingsOf<T extends Record<string, Setting<unknown>>> = {
  [K in keyof T]: z.output<T[K]['schema']>;
};

/** Every settings table, for the README: the core's and each service's. Services register theirs on import. */
const TABLES: Record<string, Record<string, Setting<unknown>>> = {
  core: { ...SETTINGS, ...MODEL_METRICS_SETTINGS },
};

/** Registers a service's own settings table so `driftline config` documents it. */
export function registerSettings(owner: string, table: Record<string, Setting<unknown>>): void {
  TABLES[owner] = table;
}

/**
 * Reads every setting from the environment, falling back to its default.
 * @throws ConfigError (not retriable) naming the environment variable and what a valid value looks like.
 * @example loadConfig({ DRIFTLINE_TOPIC_PARTITIONS: '3' }).topicPartitions // 3
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): DriftlineConfig {
  return loadSettings(SETTINGS, env) as DriftlineConfig;
}

/**
 * Reads one settings table from the environment (a service's own table, say).
 * @throws ConfigError naming the environment variable.
 */
export function loadSettings<T extends Record<string, Setting<unknown>>>(
  table: T,
  env: Record<string, string | undefined> = process.env,
): SettingsOf<T> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(table)) {
    const raw = env[s.env] ?? s.default;
    const parsed = s.schema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      throw new ConfigError(
        s.env,
        `${why} (got ${JSON.stringify(raw)}, default ${JSON.stringify(s.default)})`,
      );
    }
    out[name] = parsed.data;
  }
  return out as SettingsOf<T>;
}

/** The config with secrets masked, for start-up logs: the secret settings, and a password inside any URL. */
export function redact(config: DriftlineConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const [name, value] of Object.entries(out))
    if (typeof value === 'string') out[name] = maskUrlPassword(value);
  for (const name of SECRET_SETTINGS) if (config[name]) out[name] = '***';
  return out;
}

function maskUrlPassword(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value)) return value;
  try {
    const url = new URL(value);
    if (!url.password) return value;
    url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

/** Markdown rows for the README's configuration table. */
export function settingsTable(): string {
  const rows = Object.entries(TABLES).flatMap(([owner, table]) =>
    Object.values(table).map((s) => `| \`${s.env}\` | \`${s.default}\` | ${owner} | ${s.doc} |`),
  );
  return ['| variable | default | used by | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
