import { randomUUID } from 'node:crypto';
import type { DriftlineConfig } from '../../core/src/config/settings.ts';
import { describe } from '../../core/src/errors.ts';
import type { Admin, Kafka } from '../../core/src/kafka/client.ts';
import type { TopicSpec } from '../../core/src/kafka/topics.ts';
import { StateRestoreError } from './errors.ts';
import { decodeState, type ModelState } from './state.ts';

/**
 * The alerter's changelog: one compacted partition, one record per model (key model_id), so the latest
 * state of every model survives compaction and one reader restores it all. One partition is enough: the
 * alerter evaluates a handful of windows per model and hour.
 */
export function stateTopicSpec(config: DriftlineConfig): TopicSpec {
  return {
    topic: `${config.topicPrefix}internal.alerter-state-changelog`,
    partitions: 1,
    replicationFactor: config.topicReplication,
    config: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '60000' },
  };
}

async function endOffset(admin: Admin, topic: string): Promise<bigint> {
  const [p] = await admin.fetchTopicOffsets(topic);
  if (!p || BigInt(p.high) <= BigInt(p.low)) return 0n;
  return BigInt(p.high);
}

/**
 * Reads the changelog from its beginning to its current end with a read_committed consumer, so records of a
 * transaction that never committed (a crash before the commit) are not part of the state. Call it after
 * openFencedProducer returned: that fenced any older instance and aborted its open transaction, so nothing
 * holds the end back and nothing the older instance commits later can change it. kafkajs has no assign(): a throw-away group that never commits reads it.
 * @throws StateRestoreError (retriable) when the end is not reached in time.
 */
export async function restoreStates(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  timeoutMs = 120_000,
): Promise<Map<string, ModelState>> {
  const states = new Map<string, ModelState>();
  const end = await endOffset(admin, topic);
  if (end === 0n) return states;
  const consumer = kafka.consumer({ groupId: `alerter-restore-${randomUUID()}`, readUncommitted: false });
  let done!: () => void;
  let fail!: (e: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
  // kafkajs also reports batches made only of commit markers here, with their last offset.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (BigInt(payload.lastOffset) + 1n >= end) done();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => fail(payload.error));
  const timer = setTimeout(
    () => fail(new Error(`end offset ${end} not reached in ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          if (BigInt(m.offset) >= end || m.key === null) continue;
          const id = m.key.toString('utf8');
          if (m.value === null) states.delete(id);
          else states.set(id, decodeState(m.value));
        }
      },
    });
    await finished;
    return states;
  } catch (error) {
    throw new StateRestoreError(topic, describe(error), error);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}
