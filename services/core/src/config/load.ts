import { ConfigError } from '../errors.ts';
import { SETTINGS, SECRET_SETTINGS, type DriftlineConfig, type SettingName } from './settings.ts';

/**
 * Reads every setting from the environment, falling back to its default.
 * @throws ConfigError (not retriable) naming the environment variable and what a valid value looks like.
 * @example loadConfig({ DRIFTLINE_TOPIC_PARTITIONS: '3' }).topicPartitions // 3
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): DriftlineConfig {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(SETTINGS)) {
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
  return out as DriftlineConfig;
}

/** The config with secrets masked, for start-up logs. */
export function redact(config: DriftlineConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const name of SECRET_SETTINGS) if (config[name]) out[name] = '***';
  return out;
}

/** Markdown rows for the README's configuration table. */
export function settingsTable(): string {
  const rows = (Object.entries(SETTINGS) as [SettingName, (typeof SETTINGS)[SettingName]][]).map(
    ([, s]) => `| \`${s.env}\` | \`${s.default}\` | ${s.doc} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
