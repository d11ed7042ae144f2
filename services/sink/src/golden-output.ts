import type { ClickHouseClient } from '@clickhouse/client';
import type { Producer } from '../../core/src/kafka/client.ts';
import type { Alert } from '../../core/src/records/records.generated.ts';
import { goldenAlert, type GoldenCheckRow } from './golden.ts';

export interface GoldenOutputDeps {
  clickhouse: ClickHouseClient;
  database: string;
  producer: Producer;
  alertsTopic: string;
  encodeAlert: (alert: Alert) => Buffer;
}

/**
 * Stores a batch's golden checks in golden_checks and publishes an alert per failed one, both before the
 * batch's offset is committed: a crash replays them (same rows, same alert ids).
 * @returns the number of alerts published.
 */
export async function writeGoldenChecks(
  deps: GoldenOutputDeps,
  rows: readonly GoldenCheckRow[],
  nowMs: number,
): Promise<number> {
  if (rows.length === 0) return 0;
  await deps.clickhouse.insert({
    table: `${deps.database}.golden_checks`,
    values: rows,
    format: 'JSONEachRow',
  });
  const alerts = rows.filter((r) => r.passed === 0).map((r) => goldenAlert(r, nowMs));
  if (alerts.length > 0)
    await deps.producer.send({
      topic: deps.alertsTopic,
      messages: alerts.map((a) => ({ key: a.model_id, value: deps.encodeAlert(a) })),
    });
  return alerts.length;
}
