import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from '../../../services/core/src/kafka/client.ts';
import { javaPartitionOf } from '../../../services/core/src/kafka/java-partition.ts';
import { REPARTITION_SIDE_HEADER } from '../../../services/core/src/kafka/joiner-topics.ts';
import { placeBatch, sideOfForward } from '../../../services/label-joiner/src/reroute.ts';

const message = (key: string | null, offset: number): KafkaMessage =>
  ({
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(`v${offset}`),
    offset: String(offset),
    timestamp: '1000',
    attributes: 0,
    headers: { trace: Buffer.from('t') },
  }) as KafkaMessage;

describe('placeBatch', () => {
  it('shouldKeepKeysThatBelongHereAndForwardTheOthersToTheJavaPartitionersChoice', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `p-${i}`);
    const batch = [...keys.map((k, i) => message(k, i)), message(null, 99)];
    const { local, forwards, misplaced } = placeBatch(batch, 'labels', 1, 3);
    expect(local.map((m) => m.key?.toString() ?? null)).toEqual([
      ...keys.filter((k) => javaPartitionOf(Buffer.from(k), 3) === 1),
      null,
    ]);
    const elsewhere = keys.filter((k) => javaPartitionOf(Buffer.from(k), 3) !== 1);
    expect(forwards.map((f) => [String(f.key), f.partition])).toEqual(
      elsewhere.map((k) => [k, javaPartitionOf(Buffer.from(k), 3)]),
    );
    expect(elsewhere.length).toBeGreaterThan(0);
    // The forwarded records as read, so their event times still move this partition's clock.
    expect(misplaced.map((m) => String(m.key))).toEqual(elsewhere);
    const first = forwards[0]!;
    expect(first.value).toEqual(batch.find((m) => String(m.key) === String(first.key))!.value);
    expect(first.headers).toMatchObject({ trace: Buffer.from('t'), [REPARTITION_SIDE_HEADER]: 'labels' });
  });

  it('shouldReadTheSideBackFromAForwardedRecordAndNothingFromAnotherRecord', () => {
    const withSide = (side: string) =>
      ({ ...message('k', 1), headers: { [REPARTITION_SIDE_HEADER]: Buffer.from(side) } }) as KafkaMessage;
    expect(sideOfForward(withSide('predictions'))).toBe('predictions');
    expect(sideOfForward(withSide('labels'))).toBe('labels');
    expect(sideOfForward(withSide('other'))).toBeUndefined();
    expect(sideOfForward(message('k', 2))).toBeUndefined();
  });
});
