import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { runOnce, type LoopDeps } from '../../../services/alerter/src/loop.ts';
import { createAlerterMetrics } from '../../../services/alerter/src/metrics.ts';
import { parseRules } from '../../../services/alerter/src/rules/load.ts';
import type { ClickHouseClient } from '../../../services/core/src/clickhouse/client.ts';
import type { Producer } from '../../../services/core/src/kafka/client.ts';
import { createLogger } from '../../../services/core/src/logger.ts';
import { HOUR, RULES_FILE, T0 } from './helpers.ts';

/** performance_metrics rows of model m: accuracy per window, baseline 0.9. */
function perfRows(accuracies: number[]) {
  return accuracies.map((value, i) => ({
    model_id: 'm',
    model_version: '1',
    window_start_ms: T0 + i * HOUR,
    window_end_ms: T0 + (i + 1) * HOUR,
    metric: 'accuracy',
    value,
    baseline: 0.9,
    sample_count: 100,
  }));
}

/** ClickHouse and Kafka stand-ins: the SQL is answered from `perf`, inserts may fail, commits are recorded. */
function fakes(perf: object[], failInserts: number) {
  const inserted: { table: string; values: object[] }[] = [];
  const committed: { topic: string; count: number }[][] = [];
  let failures = failInserts;
  const clickhouse = {
    query: async ({ query }: { query: string }) => ({
      json: async () => (query.includes('performance_metrics') ? perf : []),
    }),
    insert: async (args: { table: string; values: object[] }) => {
      if (failures-- > 0) throw new Error('clickhouse away');
      inserted.push(args);
    },
  } as unknown as ClickHouseClient;
  const producer = {
    transaction: async () => {
      const sent: { topic: string; count: number }[] = [];
      return {
        sendBatch: async ({ topicMessages }: { topicMessages: { topic: string; messages: unknown[] }[] }) => {
          sent.push(...topicMessages.map((t) => ({ topic: t.topic, count: t.messages.length })));
          return [];
        },
        commit: async () => void committed.push(sent),
        abort: async () => undefined,
      };
    },
  } as unknown as Producer;
  return { clickhouse, producer, inserted, committed };
}

function deps(f: ReturnType<typeof fakes>): LoopDeps {
  const encode = () => Buffer.from('x');
  return {
    inputs: {
      clickhouse: f.clickhouse,
      database: 'db',
      admin: undefined as never,
      performanceWindow: '1h',
      percentiles: [],
      deadLetterTopic: 'dl',
      inputTopics: [],
    },
    outputs: {
      producer: f.producer,
      transactionalId: 'tx',
      clickhouse: f.clickhouse,
      database: 'db',
      topics: { alerts: 'alerts', retrainTriggers: 'triggers', state: 'state' },
      codecs: { alert: { encode }, retrainTrigger: { encode } } as never,
    },
    rules: parseRules(readFileSync(RULES_FILE, 'utf8'), 'rules.json'),
    states: new Map(),
    metrics: createAlerterMetrics(new Registry()),
    logger: createLogger('test', 'silent'),
  };
}

describe('alerter round against stand-in servers', () => {
  it('shouldPublishAlertTriggerAndStateInOneTransaction', async () => {
    const f = fakes(perfRows([0.9, 0.8, 0.8]), 0);
    await runOnce(deps(f));
    expect(f.committed).toEqual([
      [
        { topic: 'alerts', count: 1 },
        { topic: 'triggers', count: 1 },
        { topic: 'state', count: 1 },
      ],
    ]);
    expect(f.inserted.map((i) => [i.table, i.values.length])).toEqual([
      ['db.alerts', 1],
      ['db.retrain_triggers', 1],
    ]);
  });

  it('shouldWriteRowsLeftBehindBeforeTheNextCommitWhenAnInsertFailed', async () => {
    const f = fakes(perfRows([0.9, 0.8, 0.8]), 1);
    const d = deps(f);
    await expect(runOnce(d)).rejects.toThrow(/clickhouse away/);
    expect(f.committed).toHaveLength(1);
    expect(d.states.get('m')!.cursors).toEqual({ '1|performance': T0 + 3 * HOUR });
    await runOnce(d); // nothing new to evaluate, but the rows of the first commit go in
    expect(f.committed).toHaveLength(1);
    expect(f.inserted.map((i) => i.table)).toEqual(['db.alerts', 'db.retrain_triggers']);
  });

  it('shouldKeepThePreviousStatesWhenTheTransactionFails', async () => {
    const f = fakes(perfRows([0.9, 0.8, 0.8]), 0);
    const d = deps(f);
    d.outputs.producer = {
      transaction: async () => ({
        sendBatch: async () => [],
        commit: async () => {
          throw new Error('broker away');
        },
        abort: async () => undefined,
      }),
    } as unknown as Producer;
    await expect(runOnce(d)).rejects.toThrow(/aborted: broker away/);
    expect(d.states.size).toBe(0);
    expect(f.inserted).toEqual([]);
  });
});
