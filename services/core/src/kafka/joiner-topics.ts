import type { DriftlineConfig } from '../config/settings.ts';
import { changelogSpec, type TopicSpec } from './topics.ts';

/** The label joiner's state store: its changelog is `<prefix>internal.label-joiner-store-changelog`. */
export const JOINER_STORE = 'label-joiner-store';

/**
 * The label joiner's internal topics beyond the core's list: its store changelog (compacted, co-partitioned
 * with the inputs) and its expirations (unlabeled predictions and orphan labels, read by the sink).
 */
export function joinerTopicSpecs(config: DriftlineConfig): { changelog: TopicSpec; expirations: TopicSpec } {
  return {
    changelog: changelogSpec(config, JOINER_STORE),
    expirations: {
      topic: `${config.topicPrefix}internal.join-expirations.v1`,
      partitions: config.topicPartitions,
      replicationFactor: config.topicReplication,
      config: { 'retention.ms': String(config.topicRetentionMs), 'cleanup.policy': 'delete' },
    },
  };
}
