import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../services/core/src/config/load.ts';
import { ConfigError } from '../../../../services/core/src/errors.ts';
import { kafkaTls } from '../../../../services/core/src/kafka/client.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('kafkaTls', () => {
  it('shouldUsePlainTextOrTheSystemCAsWhenNoCaFileIsSet', () => {
    expect(kafkaTls(loadConfig({}))).toBe(false);
    expect(kafkaTls(loadConfig({ DRIFTLINE_KAFKA_SSL: 'true' }))).toBe(true);
  });

  it('shouldTrustTheCaFileWhenOneIsSet', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kafka-tls-')), 'ca.pem');
    writeFileSync(file, PEM);
    const tls = kafkaTls(loadConfig({ DRIFTLINE_KAFKA_SSL: 'true', DRIFTLINE_KAFKA_SSL_CA_FILE: file }));
    expect(tls).toEqual({ ca: [PEM] });
  });

  it('shouldFailNamingTheSettingWhenTheCaFileIsSetWithoutTls', () => {
    const error = configError(() => kafkaTls(loadConfig({ DRIFTLINE_KAFKA_SSL_CA_FILE: '/etc/hostname' })));
    expect(error.setting).toBe('DRIFTLINE_KAFKA_SSL_CA_FILE');
    expect(error.message).toContain('DRIFTLINE_KAFKA_SSL is false');
  });

  it('shouldFailNamingTheSettingWhenTheCaFileCannotBeRead', () => {
    const missing = path.join(tmpdir(), 'no-such-dir-for-kafka-tls', 'ca.pem');
    const error = configError(() =>
      kafkaTls(loadConfig({ DRIFTLINE_KAFKA_SSL: 'true', DRIFTLINE_KAFKA_SSL_CA_FILE: missing })),
    );
    expect(error.setting).toBe('DRIFTLINE_KAFKA_SSL_CA_FILE');
    expect(error.message).toContain(missing);
  });
});
