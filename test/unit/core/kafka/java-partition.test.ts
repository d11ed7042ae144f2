import { describe, expect, it } from 'vitest';
import { javaPartitionOf } from '../../../../services/core/src/kafka/java-partition.ts';

// Kafka's own test vectors for its murmur2 (clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java,
// testMurmur2); the Java DefaultPartitioner takes `toPositive(murmur2(key)) % partitions`.
const JAVA_MURMUR2: [string, number][] = [
  ['21', -973932308],
  ['foobar', -790332482],
  ['a-little-bit-long-string', -985981536],
  ['a-little-bit-longer-string', -1486304829],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
  ['abc', 479470107],
];
const toPositive = (x: number) => x & 0x7fffffff;

describe('javaPartitionOf', () => {
  it.each([1, 3, 6, 7, 100])('shouldPickTheJavaClientsPartitionWhenThereAre%iPartitions', (n) => {
    for (const [key, hash] of JAVA_MURMUR2) {
      expect(javaPartitionOf(Buffer.from(key), n), key).toBe(toPositive(hash) % n);
    }
  });
});
