import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import { describe, ServerUnavailableError } from '../../core/src/errors.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { ServiceMetrics } from '../../core/src/metrics/service-metrics.ts';
import { withRetry } from '../../core/src/retry.ts';
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
  const insert = async (table: string, values: readonly object[]) => {
    if (values.length === 0) return;
    await withRetry(
      async () => {
        try {
          await deps.clickhouse.insert({ table: `${deps.database}.${table}`, values, format: 'JSONEachRow' });
        } catch (error) {
          throw new ServerUnavailableError('clickhouse', `insert into ${table}: ${describe(error)}`, error);
        }
      },
      {
        attempts: 6,
        onRetry: (e, n) => deps.logger.warn({ attempt: n, error: describe(e) }, 'insert failed, retrying'),
      },
    );
    deps.metrics.rowsWritten.inc({ table }, values.length);
  };
  return async (result) => {
    await Promise.all([
      insert(TABLES.metrics, result.metricRows),
      insert(TABLES.buckets, result.bucketRows),
      insert(TABLES.comparisons, result.comparisonRows),
    ]);
  };
}
