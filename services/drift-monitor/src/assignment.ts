import type { Consumer } from '../../core/src/kafka/client.ts';

/** Tracks a consumer's assigned partitions of one topic and tells a stage to reload its state on rebalance. */
export function trackAssignment(consumer: Consumer, topic: string, onJoin: () => void): Set<number> {
  const assigned = new Set<number>();
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assigned.clear();
    for (const p of e.payload.memberAssignment[topic] ?? []) assigned.add(p);
    onJoin();
  });
  return assigned;
}
