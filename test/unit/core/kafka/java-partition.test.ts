import { describe, expect, it } from 'vitest';
import { Partitioners } from '../../../../services/core/src/kafka/client.ts';
import {
  javaPartitionOf,
  JavaPartitioner,
  murmur2,
} from '../../../../services/core/src/kafka/java-partition.ts';

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
      expect(murmur2(Buffer.from(key)), key).toBe(hash);
    }
  });
});

describe('JavaPartitioner', () => {
  const metadata = (n: number) =>
    Array.from({ length: n }, (_, partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }));

  it('shouldPickKafkajsDefaultPartitionersPartitionWhenKeysAreRandomBytesOrStrings', () => {
    const ours = JavaPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 3000; i++) {
      const bytes = Buffer.from(Array.from({ length: i % 41 }, () => next() & 0xff));
      const key = i % 3 === 0 ? `model-${next()}-\u00e9${i}` : bytes;
      const n = 1 + (next() % 64);
      const args = { topic: 't', partitionMetadata: metadata(n), message: { key, value: null } };
      expect(ours(args), String(i)).toBe(theirs(args));
    }
  });

  it('shouldKeepAnExplicitPartitionWhenTheMessageNamesOne', () => {
    const ours = JavaPartitioner();
    const args = {
      topic: 't',
      partitionMetadata: metadata(6),
      message: { key: 'x', value: null, partition: 4 },
    };
    expect(ours(args)).toBe(4);
  });

  it('shouldSpreadKeylessMessagesOverEveryPartitionWhenTheyHaveNoKey', () => {
    const ours = JavaPartitioner();
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++)
      seen.add(ours({ topic: 't', partitionMetadata: metadata(6), message: { key: null, value: null } }));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
