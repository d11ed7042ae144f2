import { afterAll, describe, expect, it } from 'vitest';
import { topicNames } from '../../services/core/src/config/topics.ts';
import { classifierTraffic, take } from '../../services/simulator/src/classifier-traffic.ts';
import { countOrZero, scalar, testClickHouse } from './utils/clickhouse.ts';
import { isolatedEnv, waitFor } from './utils/env.ts';
import { avroEncoder, produce, testKafka } from './utils/kafka.ts';
import { scrapeMetrics, startServiceProcess, waitReady } from './utils/service-process.ts';

const env = isolatedEnv();
const topics = topicNames({ topicPrefix: env.DRIFTLINE_TOPIC_PREFIX! });
const db = env.DRIFTLINE_CLICKHOUSE_DATABASE!;
const ch = testClickHouse();

async function rowsWrittenBy(port: number): Promise<number> {
  const text = await scrapeMetrics(port);
  return [...text.matchAll(/^driftline_clickhouse_rows_total\{[^}]*\} (\d+)/gm)].reduce(
    (s, m) => s + Number(m[1]),
    0,
  );
}

describe('sink redelivery after SIGKILL between the ClickHouse write and the offset commit', () => {
  afterAll(async () => {
    await ch.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await ch.close();
  });

  it('shouldKeepEveryCountExactWhenTheWrittenBatchIsRedelivered', async () => {
    // The first sink creates topics and tables, then the events arrive, then it dies after its first write.
    const first = startServiceProcess('sink', { ...env, DRIFTLINE_CRASH_AT: 'after-effect-before-commit' });
    await waitReady(first);
    const pairs = take(
      3000,
      classifierTraffic({
        modelId: 'm',
        modelVersion: 'v1',
        startMs: Date.parse('2026-03-01T00:00:00Z'),
        idPrefix: 'r',
      }),
    );
    const enc = await avroEncoder(topics.inference, 'InferenceEvent');
    await produce(
      testKafka(),
      topics.inference,
      await Promise.all(
        pairs.map(async (p) => ({ key: p.inference.prediction_id, value: await enc.encode(p.inference) })),
      ),
    );
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    const writtenBeforeCrash = await countOrZero(ch, `SELECT count() FROM ${db}.inference_log`);
    expect(writtenBeforeCrash).toBeGreaterThan(0);

    const second = startServiceProcess('sink', env);
    const port = await waitReady(second);
    await waitFor(
      'all 3000 rows',
      () => scalar(ch, `SELECT count() FROM ${db}.inference_log FINAL`),
      (n) => n >= 3000,
    );
    await waitFor(
      'the restarted sink to finish',
      () => rowsWrittenBy(port),
      (n) => n >= 3000,
    );
    // The restarted sink wrote every event again, including the batch that was already written: a real redelivery.
    expect(await rowsWrittenBy(port)).toBe(3000);
    expect(await scalar(ch, `SELECT count() FROM ${db}.inference_log FINAL`)).toBe(3000);
    expect(
      await scalar(
        ch,
        `SELECT count() FROM (SELECT prediction_id FROM ${db}.inference_log GROUP BY prediction_id)`,
      ),
    ).toBe(3000);
    expect(await scalar(ch, `SELECT uniqExact(prediction_id) FROM ${db}.inference_log`)).toBe(3000);
    await second.stop();
    expect(second.child.exitCode).toBe(0);
  });
});
