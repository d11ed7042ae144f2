// kafkajs' values come through client.ts, which loads our kafkajs patches first.
import type { PartitionAssigner } from 'kafkajs';
import { AssignerProtocol } from './client.ts';

/** Partitions per topic, for one member. */
export type TopicPartitions = Record<string, number[]>;

/**
 * Gives partition number p of every topic to the same member, so a key's records from co-partitioned topics
 * (inference and ground truth, both keyed by prediction_id) meet in one process and one state store.
 * kafkajs' round-robin assigner deals topic-partitions out one by one and may split them. Partition numbers
 * are dealt round-robin over the members sorted by id, which is deterministic for every leader. Pure.
 * @example assignCoPartitioned(['b', 'a'], { inf: [0, 1, 2], gt: [0, 1, 2] })
 *   // Map { 'a' => { inf: [0, 2], gt: [0, 2] }, 'b' => { inf: [1], gt: [1] } }
 */
export function assignCoPartitioned(
  memberIds: readonly string[],
  partitionsByTopic: Readonly<TopicPartitions>,
): Map<string, TopicPartitions> {
  const members = [...memberIds].sort();
  const numbers = [...new Set(Object.values(partitionsByTopic).flat())].sort((a, b) => a - b);
  const owner = new Map(numbers.map((p, i) => [p, members[i % members.length]!]));
  const out = new Map<string, TopicPartitions>(members.map((m) => [m, {}]));
  for (const [topic, partitions] of Object.entries(partitionsByTopic)) {
    for (const p of [...partitions].sort((a, b) => a - b)) {
      const assignment = out.get(owner.get(p)!)!;
      (assignment[topic] ??= []).push(p);
    }
  }
  return out;
}

/** The kafkajs assigner wrapping `assignCoPartitioned`. Every member of the group must use it. */
export const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: 'CoPartitionedAssigner',
  version: 1,
  async assign({ members, topics }) {
    const partitionsByTopic: TopicPartitions = {};
    for (const topic of topics) {
      partitionsByTopic[topic] = cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId);
    }
    const assignment = assignCoPartitioned(
      members.map((m) => m.memberId),
      partitionsByTopic,
    );
    return [...assignment.entries()].map(([memberId, topicPartitions]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 1,
        assignment: topicPartitions,
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'CoPartitionedAssigner',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    };
  },
});
