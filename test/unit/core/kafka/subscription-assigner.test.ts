import { describe, expect, it } from 'vitest';
import { AssignerProtocol, subscriptionAssigner } from '../../../../services/core/src/kafka/client.ts';
import {
  assignBySubscription,
  bySubscription,
} from '../../../../services/core/src/kafka/subscription-assigner.ts';

const subscriptions = (entries: [string, string[]][]) =>
  new Map(entries.map(([member, topics]) => [member, new Set(topics)]));

describe('assignBySubscription', () => {
  it('shouldMatchTheDocumentedExample', () => {
    expect(
      assignBySubscription(
        subscriptions([
          ['a', ['x']],
          ['b', ['y']],
        ]),
        { x: [0, 1], y: [0] },
      ),
    ).toEqual(
      new Map([
        ['a', { x: [0, 1] }],
        ['b', { y: [0] }],
      ]),
    );
  });

  it('shouldNeverGiveAMemberATopicItDoesNotReadWhenTwoDeploymentsShareAGroup', () => {
    const subs = subscriptions([
      ['a1', ['a.inference', 'a.truth']],
      ['b1', ['b.inference', 'b.truth']],
      ['a2', ['a.inference', 'a.truth']],
    ]);
    const six = [0, 1, 2, 3, 4, 5];
    const got = assignBySubscription(subs, {
      'a.inference': six,
      'a.truth': six,
      'b.inference': six,
      'b.truth': six,
    });
    for (const [member, topics] of got)
      for (const topic of Object.keys(topics))
        expect(subs.get(member)!.has(topic), `${member} ${topic}`).toBe(true);
    const count = (m: string) => Object.values(got.get(m)!).flat().length;
    expect([count('a1'), count('a2'), count('b1')]).toEqual([6, 6, 12]);
  });

  it('shouldBalanceOneTopicOverItsReaders', () => {
    const got = assignBySubscription(
      subscriptions([
        ['a', ['t']],
        ['b', ['t']],
        ['c', ['t']],
      ]),
      { t: [0, 1, 2, 3, 4, 5, 6] },
    );
    expect([...got.values()].map((a) => a.t!.length).sort()).toEqual([2, 2, 3]);
  });

  it('shouldBeTheSameWhicheverMemberComputesIt', () => {
    const one = subscriptions([
      ['b', ['x', 'y']],
      ['a', ['x']],
      ['c', ['y']],
    ]);
    const other = subscriptions([
      ['c', ['y']],
      ['b', ['x', 'y']],
      ['a', ['x']],
    ]);
    expect(assignBySubscription(one, { y: [1, 0], x: [0, 1, 2] })).toEqual(
      assignBySubscription(other, { x: [2, 1, 0], y: [0, 1] }),
    );
  });
});

describe('bySubscription', () => {
  it('shouldGroupMembersThatReadTheSameTopics', () => {
    const got = bySubscription(
      subscriptions([
        ['a1', ['i', 'g']],
        ['b1', ['j', 'h']],
        ['a2', ['g', 'i']],
      ]),
    );
    expect([...got.entries()]).toEqual([
      [
        ['g', 'i'],
        ['a1', 'a2'],
      ],
      [['h', 'j'], ['b1']],
    ]);
  });
});

describe('subscriptionAssigner', () => {
  it('shouldDealOnlySubscribedTopicsThroughKafkajsEncoding', async () => {
    const cluster = {
      addMultipleTargetTopics: async () => undefined,
      findTopicPartitionMetadata: () => [0, 1].map((partitionId) => ({ partitionId })),
    };
    const assigner = subscriptionAssigner({ cluster, groupId: 'g', logger: {} } as never);
    const member = (memberId: string, topics: string[]) => ({
      memberId,
      memberMetadata: assigner.protocol({ topics }).metadata,
    });
    const result = await assigner.assign({
      members: [member('m1', ['x']), member('m2', ['y'])],
      topics: ['x', 'y'],
    });
    const decoded = Object.fromEntries(
      result.map((r) => [
        r.memberId,
        AssignerProtocol.MemberAssignment.decode(r.memberAssignment)!.assignment,
      ]),
    );
    expect(decoded).toEqual({ m1: { x: [0, 1] }, m2: { y: [0, 1] } });
  });
});
