// kafkajs' values come through client.ts, which loads our kafkajs patches first.
import type { PartitionAssigner } from 'kafkajs';
import { AssignerProtocol, encodeAssignments, memberSubscriptions } from './client.ts';
import { bySubscription, partitionsOfSubscribed, type TopicPartitions } from './subscription-assigner.ts';

export type { TopicPartitions };

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
  async assign({ members }) {
    const subscriptions = memberSubscriptions(members);
    const partitions = await partitionsOfSubscribed(cluster, subscriptions);
    const assignment = new Map<string, TopicPartitions>();
    for (const [topics, memberIds] of bySubscription(subscriptions)) {
      const own = Object.fromEntries(topics.map((t) => [t, partitions[t]!]));
      for (const [member, assigned] of assignCoPartitioned(memberIds, own)) assignment.set(member, assigned);
    }
    return encodeAssignments(assignment);
  },
  protocol({ topics }) {
    return {
      name: 'CoPartitionedAssigner',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    };
  },
});
