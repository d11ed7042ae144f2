import type { DriftlineConfig } from '../../core/src/config/settings.ts';
import { describe } from '../../core/src/errors.ts';
import { changelogEnds, restoreChangelog } from '../../core/src/kafka/changelog-restorer.ts';
import type { Admin, Kafka } from '../../core/src/kafka/client.ts';
import type { Logger } from '../../core/src/logger.ts';
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

/**
 * Reads the changelog from its beginning to its current end (core changelog reader, read_committed), so
 * records of a transaction that never committed (a crash before the commit) are not part of the state. Call it
 * after openFencedProducer returned: that fenced any older instance and aborted its open transaction, so
 * nothing holds the end back and nothing the older instance commits later can change it.
 * @throws StateRestoreError (retriable) when the end is not reached in time.
 */
export async function restoreStates(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  logger: Logger,
  timeoutMs?: number,
): Promise<Map<string, ModelState>> {
  const states = new Map<string, ModelState>();
  const ends = await changelogEnds(admin, topic, [0], { skipEmpty: true });
  try {
    await restoreChangelog({
      kafka,
      topic,
      ends,
      groupPrefix: 'alerter',
      timeoutMs,
      logger,
      apply: async (_partition, records) => {
        for (const r of records) {
          if (r.value === null) states.delete(r.key);
          else states.set(r.key, decodeState(r.value));
        }
      },
    });
  } catch (error) {
    throw new StateRestoreError(topic, describe(error), error);
  }
  return states;
}
