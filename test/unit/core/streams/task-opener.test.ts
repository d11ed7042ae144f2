import { describe, expect, it } from 'vitest';
import type { Admin, Kafka } from '../../../../services/core/src/kafka/client.ts';
import { createLogger } from '../../../../services/core/src/logger.ts';
import type { PartitionTask } from '../../../../services/core/src/streams/partition-task.ts';
import {
  openPartitionTasks,
  type OpenedPartition,
  type TaskStates,
} from '../../../../services/core/src/streams/task-opener.ts';

/** A Kafka whose producers, admin and consumers only record what was asked of them, in order. */
function fakeKafka(
  steps: string[],
  o: {
    failOpen?: string;
    ranges?: Record<number, [number, number]>;
    committed?: Record<number, string>;
  } = {},
) {
  const kafka = {
    producer: ({ transactionalId }: { transactionalId: string }) => ({
      connect: async () => {
        if (transactionalId === o.failOpen) throw new Error(`cannot open ${transactionalId}`);
      },
      transaction: async () => ({ abort: async () => void steps.push(`fence ${transactionalId}`) }),
      disconnect: async () => void steps.push(`disconnect ${transactionalId}`),
    }),
    consumer: () => {
      throw new Error('no restore consumer expected');
    },
  } as unknown as Kafka;
  const admin = {
    fetchTopicOffsets: async () => {
      steps.push('ends');
      return Object.entries(o.ranges ?? {}).map(([p, [low, high]]) => ({
        partition: Number(p),
        low: String(low),
        high: String(high),
        offset: String(high),
      }));
    },
    fetchOffsets: async ({ topics }: { topics: string[] }) => {
      steps.push('committed offsets');
      return topics.map((topic) => ({
        topic,
        partitions: Object.entries(o.committed ?? {}).map(([p, offset]) => ({
          partition: Number(p),
          offset,
        })),
      }));
    },
  } as unknown as Admin;
  return { kafka, admin };
}

interface Task extends PartitionTask {
  opened: OpenedPartition;
}

function states(steps: string[], mustRestore: boolean): TaskStates<Task> {
  return {
    prepare: async (p, end) => {
      steps.push(`prepare ${p} at ${end}`);
      return mustRestore;
    },
    restore: async () => void steps.push('restore'),
    create: async (opened) => {
      steps.push(`create ${opened.partition}`);
      return { partition: opened.partition, broken: false, opened, close: async () => {} };
    },
    discard: async (ps) => void steps.push(`discard ${ps.join(',')}`),
  };
}

function deps(kafka: Kafka, admin: Admin, sourceTopics: string[] = ['in']) {
  return {
    kafka,
    admin,
    changelogTopic: 'changelog',
    groupId: 'g',
    transactionalIdOf: (p: number) => `g-${p}`,
    transactionTimeoutMs: 10_000,
    sourceTopics,
    logger: createLogger('test', 'silent'),
  };
}

describe('openPartitionTasks', () => {
  it('shouldFenceEveryProducerBeforeReadingTheEndsAndTheCommittedOffsetsLast', async () => {
    const steps: string[] = [];
    const { kafka, admin } = fakeKafka(steps, {
      ranges: { 0: [0, 7], 1: [0, 0] },
      committed: { 0: '42', 1: '-1' },
    });
    const tasks = await openPartitionTasks(deps(kafka, admin), states(steps, false), [0, 1]);
    expect(steps).toEqual([
      'fence g-0',
      'fence g-1',
      'ends',
      'prepare 0 at 7',
      'prepare 1 at 0',
      'committed offsets',
      'create 0',
      'create 1',
    ]);
    expect(tasks.get(0)!.opened.changelogEnd).toBe(7n);
    expect(tasks.get(0)!.opened.floors.get('in')).toBe(42n);
    expect(tasks.get(1)!.opened.floors.get('in')).toBe(0n);
    expect(tasks.get(1)!.opened.transactionalId).toBe('g-1');
  });

  it('shouldNotReplayAPartitionWhoseChangelogHoldsNoRecordWhenItsStateMustBeRestored', async () => {
    const steps: string[] = [];
    // Partition 0 never written, partition 1 written and then emptied (start = end): no batch would arrive.
    const { kafka, admin } = fakeKafka(steps, { ranges: { 0: [0, 0], 1: [5, 5] } });
    const tasks = await openPartitionTasks(deps(kafka, admin, []), states(steps, true), [0, 1]);
    expect(steps).not.toContain('restore');
    expect(steps).not.toContain('committed offsets');
    expect([...tasks.keys()]).toEqual([0, 1]);
  });

  it('shouldDisconnectTheOpenedProducersWhenAnotherCannotBeOpened', async () => {
    const steps: string[] = [];
    const { kafka, admin } = fakeKafka(steps, { failOpen: 'g-1', ranges: { 0: [0, 3], 1: [0, 3] } });
    await expect(openPartitionTasks(deps(kafka, admin), states(steps, false), [0, 1])).rejects.toThrow(
      'cannot open g-1',
    );
    expect(steps).toContain('disconnect g-0');
    expect(steps).not.toContain('ends');
    expect(steps.some((s) => s.startsWith('create'))).toBe(false);
  });
});
