import type { ICustomPartitioner } from 'kafkajs';
import { Partitioners } from './client.ts';

// The Java client's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) in 32-bit integer arithmetic. kafkajs'
// copy computes the same hash with a 64-bit Long object per step, about 2 µs a key: 4-6% of the label joiner's
// CPU, which hashes every input record's key (reroute.ts) and every joined pair's (its producer). The unit test
// holds this to Kafka's own test vectors and to kafkajs' DefaultPartitioner on random keys.
const M = 0x5bd1e995;
const SEED = 0x9747b28c;

/** Kafka's murmur2 of `data`, a signed 32-bit integer. Pure. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= data[whole + 2]! << 16;
    if (rest >= 2) h ^= data[whole + 1]! << 8;
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * The partition the Java client (and kafkajs, and librdkafka with `murmur2_random`) gives a key among
 * `partitions` partitions. Pure.
 * @example javaPartitionOf(Buffer.from('p-1'), 6) // the same number the Java producer picks
 */
export function javaPartitionOf(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions;
}

/**
 * kafkajs' DefaultPartitioner (the Java client's) with the hash above: an explicit partition is kept, a key is
 * hashed, and a message with neither goes to kafkajs' own round robin. For `createPartitioner`.
 */
export const JavaPartitioner: ICustomPartitioner = () => {
  const roundRobin = Partitioners.DefaultPartitioner();
  return (args) => {
    const { partitionMetadata, message } = args;
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    const key = message.key;
    if (key === null || key === undefined) return roundRobin(args);
    const bytes = typeof key === 'string' ? Buffer.from(key) : key;
    return javaPartitionOf(bytes, partitionMetadata.length);
  };
};
