import type { Admin } from '../../core/src/kafka/client.ts';

/**
 * Offsets a consumer group has not committed yet, over all its topics. Transaction markers take offsets too, so a
 * caught-up reader of a transactional topic (the joined predictions) shows one or two per partition.
 */
export async function groupLag(admin: Admin, groupId: string, topics?: string[]): Promise<number> {
  let lag = 0;
  // Without `topics`, only topics the group has committed to; with them, an uncommitted partition counts whole.
  for (const { topic, partitions } of await admin.fetchOffsets(topics ? { groupId, topics } : { groupId })) {
    const ends = await admin.fetchTopicOffsets(topic);
    for (const p of partitions) {
      const end = Number(ends.find((e) => e.partition === p.partition)?.high ?? 0);
      lag += Math.max(0, end - Math.max(0, Number(p.offset)));
    }
  }
  return lag;
}

/** Lag per Driftline consumer group. */
export async function lagByGroup(admin: Admin, groupPrefix = 'driftline'): Promise<Map<string, number>> {
  const { groups } = await admin.listGroups();
  const out = new Map<string, number>();
  for (const { groupId } of groups.filter((g) => g.groupId.startsWith(groupPrefix)))
    out.set(groupId, await groupLag(admin, groupId));
  return out;
}
