import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import type { Admin } from '../../core/src/kafka/client.ts';

/**
 * Reads closed windows from ClickHouse. Why ClickHouse and not the monitors' Kafka output: the tables already
 * hold each window's FINAL figure, merged over every instance and partition, with deterministic identity
 * (ReplacingMergeTree + FINAL), and performance_metrics carries the baseline and `is_final`. Reading them in
 * window order behind a durable cursor evaluates every window exactly once, whatever the monitors replay.
 */
export interface InputDeps {
  clickhouse: ClickHouseClient;
  database: string;
  admin: Admin;
  /** performance_metrics window size the rules watch, e.g. `1h`. */
  performanceWindow: string;
  /** Latency percentiles the rules ask for. */
  percentiles: readonly number[];
  /** Topics whose offsets measure the dead-letter rate. */
  deadLetterTopic: string;
  inputTopics: readonly string[];
}

export async function query<T>(ch: ClickHouseClient, sql: string): Promise<T[]> {
  const result = await ch.query({ query: sql, format: 'JSONEachRow' });
  return result.json<T>();
}

/** Sum of the partitions' end offsets of each topic: totals that only grow, so their change is a rate. */
export async function offsetTotals(admin: Admin, topics: readonly string[]): Promise<number> {
  let total = 0;
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    total += offsets.reduce((s, o) => s + Number(o.high), 0);
  }
  return total;
}
