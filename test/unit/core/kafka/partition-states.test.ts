import { describe, expect, it } from 'vitest';
import { PartitionStates } from '../../../../services/core/src/kafka/partition-states.ts';

describe('PartitionStates', () => {
  it('shouldRestoreAPartitionOnceUntilTheNextAssignment', async () => {
    const restored: number[] = [];
    const states = new PartitionStates(async (p) => {
      restored.push(p);
      return { partition: p, generation: restored.length };
    });
    const first = await states.get(3);
    expect(await states.get(3)).toBe(first);
    await states.get(1);
    expect(restored).toEqual([3, 1]);
    states.clear();
    expect(await states.get(3)).toEqual({ partition: 3, generation: 3 });
    expect(restored).toEqual([3, 1, 3]);
  });

  it('shouldKeepNothingWhenTheRestoreFails', async () => {
    let fail = true;
    const states = new PartitionStates(async (p) => {
      if (fail) throw new Error('store away');
      return p;
    });
    await expect(states.get(0)).rejects.toThrow('store away');
    fail = false;
    expect(await states.get(0)).toBe(0);
  });
});
