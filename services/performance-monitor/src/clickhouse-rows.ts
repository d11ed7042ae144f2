import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { ClickHouseWriter } from '../../core/src/clickhouse/writer.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { ServiceMetrics } from '../../core/src/metrics/service-metrics.ts';
import type { FlushResult } from './emit.ts';

/** The three tables a flush writes, in the order they are written. */
export const TABLES = {
  metrics: 'performance_metrics',
  buckets: 'performance_buckets',
  comparisons: 'version_comparisons',
} as const;

export interface RowWriterDeps {
  clickhouse: ClickHouseClient;
  database: string;
  logger: Logger;
  metrics: ServiceMetrics;
}

/**
 * Writes a flush's rows. Runs before the Kafka transaction commits: a crash after it replays the batch, which
 * rewrites rows of the same identity, so the effect is written at least once and counted exactly once.
 * @throws RetriesExceededError when ClickHouse stays unreachable (the batch is then retried whole).
 */
export function rowWriter(deps: RowWriterDeps): (result: FlushResult) => Promise<void> {
  const writer = new ClickHouseWriter(deps.clickhouse, { metrics: deps.metrics, logger: deps.logger });
  const insert = (table: string, values: readonly object[]) => writer.insert(deps.database, table, values);
  return async (result) => {
    await Promise.all([
      insert(TABLES.metrics, result.metricRows),
      insert(TABLES.buckets, result.bucketRows),
      insert(TABLES.comparisons, result.comparisonRows),
    ]);
  };
}
