import { insertAlertRows } from '../../core/src/clickhouse/alert-rows.ts';
import type { ClickHouseClient } from '../../core/src/clickhouse/client.ts';
import type { Producer } from '../../core/src/kafka/client.ts';
import { commitTransaction, type OutgoingRecords } from '../../core/src/kafka/transactional-batch.ts';
import type { Alert, RetrainTrigger } from '../../core/src/records/records.generated.ts';
import type { RecordCodec } from '../../core/src/serde/record-codec.ts';
import { encodeState, type ModelState } from './state.ts';

export interface OutputDeps {
  producer: Producer;
  transactionalId: string;
  clickhouse: ClickHouseClient;
  database: string;
  topics: { alerts: string; retrainTriggers: string; state: string };
  codecs: { alert: RecordCodec<Alert>; retrainTrigger: RecordCodec<RetrainTrigger> };
}

/**
 * Publishes the alerts, the triggers and the new state of every model they came from in ONE Kafka
 * transaction: either all become visible to read_committed readers or none does, so a crash anywhere
 * produces no duplicate FIRING (the restored state already knows what was published).
 * @throws TransactionFailedError after aborting; the caller keeps its previous states. Not retriable when
 *   fenced: a newer alerter with the same transactional id took over, and this one must stop.
 */
export async function publish(d: OutputDeps, states: readonly ModelState[]): Promise<void> {
  const alerts = states.flatMap((s) => s.outbox.alerts);
  const triggers = states.flatMap((s) => s.outbox.triggers);
  const records: OutgoingRecords[] = [
    {
      topic: d.topics.alerts,
      messages: alerts.map((a) => ({ key: a.model_id, value: d.codecs.alert.encode(a) })),
    },
    {
      topic: d.topics.retrainTriggers,
      messages: triggers.map((t) => ({ key: t.model_id, value: d.codecs.retrainTrigger.encode(t) })),
    },
    {
      topic: d.topics.state,
      messages: states.map((s) => ({ key: s.modelId, value: encodeState(s), partition: 0 })),
    },
  ].filter((r) => r.messages.length > 0);
  await commitTransaction(d.producer, d.transactionalId, records);
}

/**
 * Writes the outboxes' events to `alerts` and `retrain_triggers`. Runs after the commit, and again for every
 * restored state at start-up: the rows are idempotent by id, so a crash between commit and insert loses none
 * and a second insert changes nothing (ReplacingMergeTree; query with FINAL).
 */
export async function writeRows(
  d: Pick<OutputDeps, 'clickhouse' | 'database'>,
  states: readonly ModelState[],
) {
  return insertAlertRows(d.clickhouse, d.database, {
    alerts: states.flatMap((s) => s.outbox.alerts),
    triggers: states.flatMap((s) => s.outbox.triggers),
  });
}
