import { describe, expect, it } from 'vitest';
import { loadConfig, redact, settingsTable } from '../../../../services/core/src/config/load.ts';
import { topicNames } from '../../../../services/core/src/config/topics.ts';
import { ConfigError } from '../../../../services/core/src/errors.ts';

describe('loadConfig', () => {
  it('shouldUseLoopbackDefaults', () => {
    const c = loadConfig({});
    expect(c.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(c.httpHost).toBe('127.0.0.1');
    expect(c.clickhouseDatabase).toBe('ml_monitor');
    expect(topicNames(c).inference).toBe('ml.inference.v1');
  });

  it('shouldParseListsNumbersAndPrefixes', () => {
    const c = loadConfig({
      DRIFTLINE_KAFKA_BROKERS: 'a:1, b:2',
      DRIFTLINE_TOPIC_PARTITIONS: '3',
      DRIFTLINE_TOPIC_PREFIX: 'prod.',
    });
    expect(c.kafkaBrokers).toEqual(['a:1', 'b:2']);
    expect(c.topicPartitions).toBe(3);
    expect(topicNames(c).deadLetter).toBe('prod.dead-letter.v1');
  });

  it.each([
    ['DRIFTLINE_TOPIC_PARTITIONS', 'zero'],
    ['DRIFTLINE_TOPIC_PARTITIONS', '0'],
    ['DRIFTLINE_CLICKHOUSE_URL', 'not a url'],
    ['DRIFTLINE_CLICKHOUSE_DATABASE', 'ml-monitor; DROP'],
    ['DRIFTLINE_KAFKA_BROKERS', ' , '],
    ['DRIFTLINE_LOG_LEVEL', 'loud'],
    ['DRIFTLINE_KAFKA_SSL', 'yes'],
  ])('shouldFailNamingTheSetting %s=%s', (env, value) => {
    let error: unknown;
    try {
      loadConfig({ [env]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(env);
    expect((error as Error).message).toContain(`invalid configuration: ${env}: `);
  });

  it('shouldMaskSecrets', () => {
    const c = loadConfig({ DRIFTLINE_CLICKHOUSE_PASSWORD: 's3cret' });
    expect(JSON.stringify(redact(c))).not.toContain('s3cret');
  });

  it('shouldDocumentEverySetting', () => {
    expect(settingsTable()).toContain('| `DRIFTLINE_KAFKA_BROKERS` | `127.0.0.1:9092` |');
  });
});
