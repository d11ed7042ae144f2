import { AssignerProtocol } from '../../../../services/core/src/kafka/client.ts';
import { describe, expect, it } from 'vitest';
import {
  assignCoPartitioned,
  coPartitionedAssigner,
} from '../../../../services/core/src/kafka/co-partitioned-assigner.ts';

describe('assignCoPartitioned', () => {
  it('shouldGiveEveryTopicsPartitionPToTheSameMemberWhenTopicsAreCoPartitioned', () => {
    const partitions = [0, 1, 2, 3, 4, 5];
    const got = assignCoPartitioned(['m-2', 'm-1', 'm-3', 'm-4'], {
      inference: partitions,
      truth: partitions,
    });
    const owners = new Map<string, string>();
    for (const [member, topics] of got) {
      for (const [topic, ps] of Object.entries(topics))
        for (const p of ps) owners.set(`${topic}/${p}`, member);
    }
    for (const p of partitions) expect(owners.get(`inference/${p}`)).toBe(owners.get(`truth/${p}`));
    expect(owners.size).toBe(12);
  });

  it('shouldMatchTheDocumentedExample', () => {
    expect(assignCoPartitioned(['b', 'a'], { inf: [0, 1, 2], gt: [0, 1, 2] })).toEqual(
      new Map([
        ['a', { inf: [0, 2], gt: [0, 2] }],
        ['b', { inf: [1], gt: [1] }],
      ]),
    );
  });

  it('shouldBalancePartitionNumbersWhenMembersDiffer', () => {
    const got = assignCoPartitioned(['a', 'b', 'c'], { t: [0, 1, 2, 3, 4, 5, 6] });
    expect([...got.values()].map((a) => a.t!.length).sort()).toEqual([2, 2, 3]);
  });

  it('shouldLeaveAMemberEmptyWhenThereAreMoreMembersThanPartitions', () => {
    const got = assignCoPartitioned(['a', 'b', 'c'], { t: [0], u: [0] });
    expect(got.get('a')).toEqual({ t: [0], u: [0] });
    expect(got.get('b')).toEqual({});
  });

  it('shouldBeTheSameWhicheverMemberComputesIt', () => {
    const topics = { x: [2, 0, 1], y: [1, 2, 0] };
    expect(assignCoPartitioned(['b', 'c', 'a'], topics)).toEqual(
      assignCoPartitioned(['c', 'a', 'b'], topics),
    );
  });
});

describe('coPartitionedAssigner', () => {
  it('shouldEncodeAssignmentsKafkajsCanDecode', async () => {
    const cluster = {
      addMultipleTargetTopics: async () => undefined,
      findTopicPartitionMetadata: () => [0, 1, 2].map((partitionId) => ({ partitionId })),
    };
    const assigner = coPartitionedAssigner({ cluster, groupId: 'g', logger: {} } as never);
    const members = ['m1', 'm2'].map((memberId) => ({
      memberId,
      memberMetadata: assigner.protocol({ topics: ['i', 'g'] }).metadata,
    }));
    const result = await assigner.assign({ members, topics: ['i', 'g'] });
    const decoded = Object.fromEntries(
      result.map((r) => [
        r.memberId,
        AssignerProtocol.MemberAssignment.decode(r.memberAssignment)!.assignment,
      ]),
    );
    expect(decoded).toEqual({ m1: { i: [0, 2], g: [0, 2] }, m2: { i: [1], g: [1] } });
    expect(assigner.protocol({ topics: ['i'] }).name).toBe('CoPartitionedAssigner');
  });

  it('shouldGiveEachDeploymentItsOwnTopicsWhenTwoShareTheGroupId', async () => {
    const cluster = {
      addMultipleTargetTopics: async () => undefined,
      findTopicPartitionMetadata: () => [0, 1, 2].map((partitionId) => ({ partitionId })),
    };
    const assigner = coPartitionedAssigner({ cluster, groupId: 'g', logger: {} } as never);
    const member = (memberId: string, topics: string[]) => ({
      memberId,
      memberMetadata: assigner.protocol({ topics }).metadata,
    });
    const members = [
      member('a1', ['a.i', 'a.g']),
      member('b1', ['b.i', 'b.g']),
      member('a2', ['a.i', 'a.g']),
    ];
    const result = await assigner.assign({ members, topics: ['a.i', 'a.g', 'b.i', 'b.g'] });
    const decoded = Object.fromEntries(
      result.map((r) => [
        r.memberId,
        AssignerProtocol.MemberAssignment.decode(r.memberAssignment)!.assignment,
      ]),
    );
    expect(decoded).toEqual({
      a1: { 'a.i': [0, 2], 'a.g': [0, 2] },
      a2: { 'a.i': [1], 'a.g': [1] },
      b1: { 'b.i': [0, 1, 2], 'b.g': [0, 1, 2] },
    });
  });
});
