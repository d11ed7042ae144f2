import { describe, expect, it } from 'vitest';
import { loadConfig, redact } from '../../../../services/core/src/config/load.ts';
import {
  SECRET_SETTINGS,
  SETTINGS,
  type SettingName,
} from '../../../../services/core/src/config/settings.ts';

const SECRET_ENV = {
  DRIFTLINE_KAFKA_PASSWORD: 'kafka-s3cret-0001',
  DRIFTLINE_SCHEMA_REGISTRY_PASSWORD: 'registry-s3cret-0002',
  DRIFTLINE_CLICKHOUSE_PASSWORD: 'clickhouse-s3cret-0003',
};

describe('redact', () => {
  it('shouldMaskEveryPasswordWhenAllAreSet', () => {
    const shown = JSON.stringify(redact(loadConfig(SECRET_ENV)));
    for (const secret of Object.values(SECRET_ENV)) expect(shown).not.toContain(secret);
    expect(shown).toContain('"kafkaPassword":"***"');
    expect(shown).toContain('"registryPassword":"***"');
    expect(shown).toContain('"clickhousePassword":"***"');
  });

  it('shouldTreatEverySettingNamedLikeASecretAsSecret', () => {
    const secretLooking = (Object.keys(SETTINGS) as SettingName[]).filter((name) =>
      /PASSWORD|TOKEN|SECRET/.test(SETTINGS[name].env),
    );
    expect(secretLooking.length).toBeGreaterThanOrEqual(3);
    for (const name of secretLooking) expect(SECRET_SETTINGS.has(name)).toBe(true);
  });

  it('shouldMaskAPasswordInsideAUrlWhenOneIsGiven', () => {
    const shown = redact(
      loadConfig({
        DRIFTLINE_SCHEMA_REGISTRY_URL: 'https://svc:url-s3cret@registry.example:8081/apis/ccompat/v7',
        DRIFTLINE_CLICKHOUSE_URL: 'https://reader:other-s3cret@clickhouse.example:8443',
      }),
    );
    expect(JSON.stringify(shown)).not.toMatch(/url-s3cret|other-s3cret/);
    expect(shown.registryUrl).toBe('https://svc:***@registry.example:8081/apis/ccompat/v7');
    expect(shown.clickhouseUrl).toBe('https://reader:***@clickhouse.example:8443/');
  });

  it('shouldLeaveSettingsWithoutSecretsAsTheyAre', () => {
    const config = loadConfig({ DRIFTLINE_KAFKA_USERNAME: 'driftline', DRIFTLINE_KAFKA_SSL: 'true' });
    const shown = redact(config);
    expect(shown.kafkaUsername).toBe('driftline');
    expect(shown.kafkaSsl).toBe(true);
    expect(shown.kafkaPassword).toBe('');
    expect(shown.registryUrl).toBe(config.registryUrl);
    expect(shown.kafkaBrokers).toEqual(config.kafkaBrokers);
  });
});
