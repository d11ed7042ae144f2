import type { IHeaders, KafkaMessage, Message } from '../../core/src/kafka/client.ts';
import { javaPartitionOf } from '../../core/src/kafka/java-partition.ts';
import { REPARTITION_SIDE_HEADER } from '../../core/src/kafka/joiner-topics.ts';
import type { Side } from './watermark.ts';

/** A batch of an input topic split by where its records belong. */
export interface Placement {
  /** Records whose key the Java partitioner puts in this partition (or that have no key): joined here. */
  local: KafkaMessage[];
  /** The others, addressed to their partition of the repartition topic. */
  forwards: Message[];
  /** The forwarded records as they were read: their event times still count in this partition's clocks. */
  misplaced: KafkaMessage[];
}

/**
 * Splits a batch of one input partition: a record a producer placed with another partitioner than the Java
 * client's (librdkafka's default `consistent_random`, a custom one) is forwarded, bytes and headers unchanged
 * plus the side header, to the repartition partition the Java partitioner gives its key, where the records
 * placed the usual way with the same key are joined. Pure.
 */
export function placeBatch(
  messages: readonly KafkaMessage[],
  side: Side,
  partition: number,
  partitions: number,
): Placement {
  const local: KafkaMessage[] = [];
  const forwards: Message[] = [];
  const misplaced: KafkaMessage[] = [];
  for (const m of messages) {
    const target = m.key ? javaPartitionOf(m.key, partitions) : partition;
    if (target === partition) local.push(m);
    else {
      const headers: IHeaders = { ...m.headers, [REPARTITION_SIDE_HEADER]: side };
      forwards.push({ key: m.key, value: m.value, headers, partition: target, timestamp: m.timestamp });
      misplaced.push(m);
    }
  }
  return { local, forwards, misplaced };
}

/** The side a record of the repartition topic came from; undefined when the header is missing or unknown. */
export function sideOfForward(m: KafkaMessage): Side | undefined {
  const side = m.headers?.[REPARTITION_SIDE_HEADER]?.toString();
  return side === 'predictions' || side === 'labels' ? side : undefined;
}
