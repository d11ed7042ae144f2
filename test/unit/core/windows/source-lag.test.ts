import { describe, expect, it } from 'vitest';
import { sourceLag } from '../../../../services/core/src/windows/source-lag.ts';

describe('sourceLag', () => {
  const ends = [
    { partition: 0, low: '0', high: '10' },
    { partition: 1, low: '5', high: '5' },
    { partition: 2, low: '0', high: '7' },
    { partition: 3, low: '0', high: '4' },
  ];

  it('shouldCountAPartitionAsLaggingUntilTheGroupCommittedItsEnd', () => {
    const lag = sourceLag(
      ends,
      new Map([
        [0, 10n],
        [2, 6n],
        [3, -1n],
      ]),
    );
    expect(lag.partitions).toBe(4);
    expect([...lag.lagging].sort()).toEqual([2, 3]);
  });

  it('shouldNeverCountAnEmptyPartitionAsLagging', () => {
    expect([...sourceLag(ends, new Map()).lagging].sort()).toEqual([0, 2, 3]);
  });

  it('shouldReportNoPartitionsForATopicWithoutAny', () => {
    expect(sourceLag([], new Map())).toEqual({ partitions: 0, lagging: new Set() });
  });
});
