import { insertAlertRows } from '../../core/src/clickhouse/alert-rows.ts';
import type { ClickHouseWriter } from '../../core/src/clickhouse/writer.ts';
import type { Producer } from '../../core/src/kafka/client.ts';
import type { Alert } from '../../core/src/records/records.generated.ts';
import { goldenAlert, type GoldenCheckRow } from './golden.ts';

export interface GoldenOutputDeps {
  writer: ClickHouseWriter;
  database: string;
  producer: Producer;
  alertsTopic: string;
  encodeAlert: (alert: Alert) => Buffer;
}

/**
 * Stores a batch's golden checks in golden_checks and publishes an alert per failed one, to the alerts topic
 * and to the `alerts` table like every other alert, all before the batch's offset is committed: a crash
 * replays them (same rows, same alert ids; the table keeps one row per id under FINAL).
 * @returns the number of alerts published.
 */
export async function writeGoldenChecks(
  deps: GoldenOutputDeps,
  rows: readonly GoldenCheckRow[],
  nowMs: number,
): Promise<number> {
  if (rows.length === 0) return 0;
  await deps.writer.insert(deps.database, 'golden_checks', rows);
  const alerts = rows.filter((r) => r.passed === 0).map((r) => goldenAlert(r, nowMs));
  if (alerts.length > 0)
    await deps.producer.send({
      topic: deps.alertsTopic,
      messages: alerts.map((a) => ({ key: a.model_id, value: deps.encodeAlert(a) })),
    });
  await insertAlertRows(deps.writer, deps.database, { alerts });
  return alerts.length;
}
