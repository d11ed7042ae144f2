import type { DriftlineConfig } from '../config/settings.ts';
import { changelogSpec, type TopicSpec } from './topics.ts';

/** The label joiner's state store: its changelog is `<prefix>internal.label-joiner-store-changelog`. */
export const JOINER_STORE = 'label-joiner-store';

/**
 * Header of a record on the joiner's repartition topic naming the input it came from (`predictions` or
 * `labels`): the value keeps its original bytes, so the header is what tells the two apart.
 */
export const REPARTITION_SIDE_HEADER = 'driftline.repartition.side';

/**
 * The label joiner's internal topics beyond the core's list: its store changelog (compacted, co-partitioned
 * with the inputs), its expirations (unlabeled predictions and orphan labels, read by the sink) and its
 * repartition topic (co-partitioned with the inputs: a record whose key a producer put in another partition
 * than the Java partitioner would is forwarded there, to the partition where its counterpart lives).
 */
export function joinerTopicSpecs(config: DriftlineConfig): {
  changelog: TopicSpec;
  expirations: TopicSpec;
  repartition: TopicSpec;
} {
  const events = (name: string): TopicSpec => ({
    topic: `${config.topicPrefix}internal.${name}`,
    partitions: config.topicPartitions,
    replicationFactor: config.topicReplication,
    config: { 'retention.ms': String(config.topicRetentionMs), 'cleanup.policy': 'delete' },
  });
  return {
    changelog: changelogSpec(config, JOINER_STORE),
    expirations: events('join-expirations.v1'),
    repartition: events('label-joiner-repartition.v1'),
  };
}
