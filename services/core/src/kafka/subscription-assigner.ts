/** Partitions per topic, for one member. */
export type TopicPartitions = Record<string, number[]>;

/**
 * Deals each topic's partitions only to the members subscribed to it, each to the least loaded of them (ties to
 * the smaller member id), so the assignment is deterministic for every leader. kafkajs' round-robin assigner
 * deals every subscribed topic over every member: when two deployments (other topic prefixes) share a group id,
 * a member is handed partitions of topics it does not read, drops them, and those partitions are never read
 * while it stays. Pure.
 * @example assignBySubscription(new Map([['a', new Set(['x'])], ['b', new Set(['y'])]]), { x: [0, 1], y: [0] })
 *   // Map { 'a' => { x: [0, 1] }, 'b' => { y: [0] } }
 */
export function assignBySubscription(
  subscriptions: ReadonlyMap<string, ReadonlySet<string>>,
  partitionsByTopic: Readonly<TopicPartitions>,
): Map<string, TopicPartitions> {
  const members = [...subscriptions.keys()].sort();
  const out = new Map<string, TopicPartitions>(members.map((m) => [m, {}]));
  const load = new Map(members.map((m) => [m, 0]));
  const leastLoaded = (readers: string[]) =>
    readers.reduce<string | undefined>(
      (best, m) => (best === undefined || load.get(m)! < load.get(best)! ? m : best),
      undefined,
    );
  for (const topic of Object.keys(partitionsByTopic).sort()) {
    const readers = members.filter((m) => subscriptions.get(m)!.has(topic));
    for (const p of [...partitionsByTopic[topic]!].sort((a, b) => a - b)) {
      const owner = leastLoaded(readers);
      if (owner === undefined) break;
      (out.get(owner)![topic] ??= []).push(p);
      load.set(owner, load.get(owner)! + 1);
    }
  }
  return out;
}

/**
 * Members that read the same topics, together (topics → member ids); a topic read by two such sets goes to the
 * first. Assigners that must keep a member's topics together (co-partitioning) assign each set on its own, so a
 * group id shared by two deployments still gives each its own topics. Pure.
 */
export function bySubscription(
  subscriptions: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string[], string[]> {
  const sets = new Map<string, string[]>();
  for (const [member, topics] of subscriptions) {
    const key = JSON.stringify([...topics].sort());
    sets.set(key, [...(sets.get(key) ?? []), member]);
  }
  const taken = new Set<string>();
  const out = new Map<string[], string[]>();
  for (const key of [...sets.keys()].sort()) {
    const topics = (JSON.parse(key) as string[]).filter((t) => !taken.has(t));
    topics.forEach((t) => taken.add(t));
    out.set(topics, sets.get(key)!);
  }
  return out;
}

/** What an assigner needs of kafkajs' cluster. */
export interface AssignerCluster {
  addMultipleTargetTopics: (topics: string[]) => Promise<unknown>;
  findTopicPartitionMetadata: (topic: string) => { partitionId: number }[];
}

/**
 * The partition numbers of every topic some member reads. kafkajs hands the leader's assigner only the leader's
 * own topics, and its metadata only covers those: another member's topics are added first.
 */
export async function partitionsOfSubscribed(
  cluster: AssignerCluster,
  subscriptions: ReadonlyMap<string, ReadonlySet<string>>,
): Promise<TopicPartitions> {
  const topics = [...new Set([...subscriptions.values()].flatMap((t) => [...t]))].sort();
  await cluster.addMultipleTargetTopics(topics);
  return Object.fromEntries(
    topics.map((t) => [t, cluster.findTopicPartitionMetadata(t).map((m) => m.partitionId)]),
  );
}
