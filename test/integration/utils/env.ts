import { randomBytes } from 'node:crypto';

/** A fresh topic prefix and database for one test file, so files never see each other's data. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const id = randomBytes(4).toString('hex');
  return {
    DRIFTLINE_KAFKA_BROKERS: process.env.DRIFTLINE_KAFKA_BROKERS ?? '127.0.0.1:9092',
    DRIFTLINE_SCHEMA_REGISTRY_URL:
      process.env.DRIFTLINE_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7',
    DRIFTLINE_CLICKHOUSE_URL: process.env.DRIFTLINE_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123',
    DRIFTLINE_TOPIC_PREFIX: `t${id}.`,
    DRIFTLINE_CLICKHOUSE_DATABASE: `test_${id}`,
    DRIFTLINE_TOPIC_PARTITIONS: '3',
    DRIFTLINE_LOG_LEVEL: 'info',
    ...extra,
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
}
