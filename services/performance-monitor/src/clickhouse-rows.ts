import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { ClickHouseWriter } from '../../core/src/clickhouse/writer.ts';
import { BatchCoalescer } from '../../core/src/kafka/batch-coalescer.ts';
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
 * The flushes that partitions' tasks submit together (kafkajs runs a fetch's partitions at once) go into one
 * insert per table, as the sink's batches do: an insert per partition made most of ClickHouse's inserts at
 * moderate rates, each a part to write and merge. A failed insert fails every flush in it.
 * @throws RetriesExceededError when ClickHouse stays unreachable (the batch is then retried whole).
 */
export function rowWriter(deps: RowWriterDeps): (result: FlushResult) => Promise<void> {
  const writer = new ClickHouseWriter(deps.clickhouse, { metrics: deps.metrics, logger: deps.logger });
  const insert = (table: string, values: readonly object[]) => writer.insert(deps.database, table, values);
  const together = new BatchCoalescer<FlushResult>(
    async (results) => {
      await Promise.all([
        insert(
          TABLES.metrics,
          results.flatMap((r) => r.metricRows),
        ),
        insert(
          TABLES.buckets,
          results.flatMap((r) => r.bucketRows),
        ),
        insert(
          TABLES.comparisons,
          results.flatMap((r) => r.comparisonRows),
        ),
      ]);
    },
    (r) => r.metricRows.length + r.bucketRows.length + r.comparisonRows.length,
    ROWS_PER_INSERT,
  );
  return (result) => together.submit(result);
}

/** Rows of the flushes written together at most (the first flush always goes, whatever its size). */
const ROWS_PER_INSERT = 100_000;
