import { Partitioners } from './client.ts';

// kafkajs' DefaultPartitioner is the Java client's: murmur2 of the key bytes, made positive, modulo the
// partition count. Using it (rather than a copy of murmur2) keeps the joiner's check and every kafkajs and
// Java producer in step by construction.
const partitioner = Partitioners.DefaultPartitioner();

/**
 * The partition the Java client (and kafkajs, and librdkafka with `murmur2_random`) gives a key among
 * `partitions` partitions. Pure.
 * @example javaPartitionOf(Buffer.from('p-1'), 6) // the same number the Java producer picks
 */
export function javaPartitionOf(key: Buffer, partitions: number): number {
  return partitioner({ topic: '', partitionMetadata: metadataOf(partitions), message: { key, value: null } });
}

type PartitionMetadata = Parameters<
  ReturnType<typeof Partitioners.DefaultPartitioner>
>[0]['partitionMetadata'];
const metadata = new Map<number, PartitionMetadata>();

/** The partitioner reads only the partition count from its metadata; one array per count is enough. */
function metadataOf(partitions: number): PartitionMetadata {
  let m = metadata.get(partitions);
  if (!m) {
    m = Array.from({ length: partitions }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }));
    metadata.set(partitions, m);
  }
  return m;
}
