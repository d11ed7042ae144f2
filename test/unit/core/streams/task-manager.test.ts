import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../services/core/src/logger.ts';
import { TaskMigratedError } from '../../../../services/core/src/kafka/task-migrated.ts';
import { TransactionFailedError } from '../../../../services/core/src/kafka/transactional-batch.ts';
import { readCheckpoint, writeCheckpoint } from '../../../../services/core/src/store/checkpoint.ts';
import type { PartitionTask } from '../../../../services/core/src/streams/partition-task.ts';
import { TaskManager } from '../../../../services/core/src/streams/task-manager.ts';

const checkpointFile = (dir: string, p: number) => path.join(dir, `partition-${p}.checkpoint`);

const stateDir = await mkdtemp(path.join(tmpdir(), 'tasks-'));
afterAll(() => rm(stateDir, { recursive: true, force: true }));

interface FakeTask extends PartitionTask {
  broken: boolean;
  checkpoint: bigint | undefined;
  closed: boolean;
}

/** A task that, as the joiner's, writes its checkpoint only when closed clean. */
function fakeTask(p: number, checkpoint: bigint | undefined): FakeTask {
  const t: FakeTask = {
    partition: p,
    broken: false,
    checkpoint,
    closed: false,
    close: async (clean) => {
      t.closed = true;
      if (clean && t.checkpoint !== undefined)
        await writeCheckpoint(checkpointFile(stateDir, p), t.checkpoint);
    },
  };
  return t;
}

function harness(options: { reopenOnRejoin?: boolean } = {}) {
  const opened: number[][] = [];
  const tasks: FakeTask[] = [];
  const manager = new TaskManager<FakeTask>({
    ...options,
    logger: createLogger('test', 'silent'),
    open: async (ps) => {
      opened.push([...ps]);
      return new Map(
        ps.map((p) => {
          const t = fakeTask(p, BigInt(100 + p));
          tasks.push(t);
          return [p, t];
        }),
      );
    },
  });
  return { manager, opened, tasks };
}

const heartbeat = async () => {};

describe('TaskManager', () => {
  it('shouldOpenAllNewPartitionsTogetherWhenAssigned', async () => {
    const { manager, opened } = harness();
    manager.assign([0, 1, 2]);
    expect(await manager.run(1, async () => {}, heartbeat)).toBe(true);
    expect(opened).toEqual([[0, 1, 2]]);
  });

  it('shouldSkipABatchOfAPartitionNotAssignedHere', async () => {
    const { manager } = harness();
    manager.assign([0]);
    let ran = false;
    expect(await manager.run(5, async () => void (ran = true), heartbeat)).toBe(false);
    expect(ran).toBe(false);
  });

  it('shouldCloseARevokedPartitionOnlyAfterItsRunningBatchWithACheckpoint', async () => {
    const { manager, tasks } = harness();
    manager.assign([0, 1]);
    let release!: () => void;
    const running = manager.run(0, () => new Promise<void>((r) => (release = r)), heartbeat);
    await new Promise((r) => setTimeout(r, 10));
    manager.assign([1]);
    await new Promise((r) => setTimeout(r, 10));
    expect(tasks[0]!.closed).toBe(false);
    release();
    expect(await running).toBe(true);
    await manager.closeAll();
    expect(tasks.every((t) => t.closed)).toBe(true);
    expect(await readCheckpoint(checkpointFile(stateDir, 0))).toBe(100n);
    expect(await readCheckpoint(checkpointFile(stateDir, 1))).toBe(101n);
  });

  it('shouldReopenABrokenTaskOnItsNextBatchWithoutACheckpoint', async () => {
    const { manager, opened, tasks } = harness();
    manager.assign([3]);
    await expect(
      manager.run(
        3,
        async (t) => {
          t.broken = true;
          throw new Error('transaction failed');
        },
        heartbeat,
      ),
    ).rejects.toThrow('transaction failed');
    expect(await manager.run(3, async () => {}, heartbeat)).toBe(true);
    expect(opened).toEqual([[3], [3]]);
    expect(tasks[0]!.closed).toBe(true);
    expect(await readCheckpoint(checkpointFile(stateDir, 3))).toBeUndefined();
  });

  it('shouldRetryTheOpenWhenItFailedOnce', async () => {
    let attempts = 0;
    const manager = new TaskManager<FakeTask>({
      logger: createLogger('test', 'silent'),
      open: async (ps) => {
        attempts += 1;
        if (attempts === 1) throw new Error('broker away');
        return new Map(ps.map((p) => [p, fakeTask(p, undefined)]));
      },
    });
    manager.assign([4]);
    await expect(manager.run(4, async () => {}, heartbeat)).rejects.toThrow('broker away');
    expect(await manager.run(4, async () => {}, heartbeat)).toBe(true);
  });

  it('shouldHeartbeatWhileARestoreRuns', async () => {
    let beats = 0;
    const manager = new TaskManager<FakeTask>({
      logger: createLogger('test', 'silent'),
      open: async (ps) => {
        await new Promise((r) => setTimeout(r, 2200));
        return new Map(ps.map((p) => [p, fakeTask(p, undefined)]));
      },
    });
    manager.assign([0]);
    expect(
      await manager.run(
        0,
        async () => {},
        async () => void (beats += 1),
      ),
    ).toBe(true);
    expect(beats).toBeGreaterThanOrEqual(2);
  });

  it('shouldCloseAFencedTaskAndNotReopenItUntilAnAssignmentNamesItAgain', async () => {
    const { manager, opened, tasks } = harness();
    manager.assign([2]);
    const fenced = new TransactionFailedError('g-2', new Error('INVALID_PRODUCER_EPOCH'));
    await expect(
      manager.run(
        2,
        async () => {
          throw fenced;
        },
        heartbeat,
      ),
    ).rejects.toBeInstanceOf(TaskMigratedError);
    // The zombie's stale fetches of partition 2 must not reopen it: that would fence the new owner.
    let ran = false;
    expect(await manager.run(2, async () => void (ran = true), heartbeat)).toBe(false);
    expect(ran).toBe(false);
    expect(opened).toEqual([[2]]);
    await new Promise((r) => setTimeout(r, 10));
    expect(tasks[0]!.closed).toBe(true);
    expect(await readCheckpoint(checkpointFile(stateDir, 2))).toBeUndefined();
    manager.assign([2]);
    expect(await manager.run(2, async () => {}, heartbeat)).toBe(true);
    expect(opened).toEqual([[2], [2]]);
  });

  it('shouldNotOpenAPartitionWhenTheHeartbeatSaysTheMembershipIsGone', async () => {
    const { manager, opened } = harness();
    manager.assign([0]);
    expect(await manager.run(0, async () => {}, heartbeat)).toBe(true);
    manager.assign([]);
    manager.assign([1]);
    const gone = async () => {
      throw new Error('UNKNOWN_MEMBER_ID');
    };
    await expect(manager.run(1, async () => {}, gone)).resolves.toBe(true);
    // Partition 1 was opened on the assignment itself; a reopen after a failure asks the coordinator first.
    await expect(
      manager.run(
        1,
        async (t) => {
          t.broken = true;
          throw new Error('transaction failed');
        },
        heartbeat,
      ),
    ).rejects.toThrow('transaction failed');
    await expect(manager.run(1, async () => {}, gone)).rejects.toThrow('UNKNOWN_MEMBER_ID');
    expect(opened).toEqual([[0], [1]]);
  });

  it('shouldNotCommitWhenThePartitionWasRevokedWhileTheBatchRan', async () => {
    const { manager } = harness();
    manager.assign([0]);
    let committed = false;
    const result = await manager.run(
      0,
      async (_task, ensureOwned) => {
        manager.assign([]);
        await ensureOwned();
        committed = true;
      },
      heartbeat,
    );
    expect(result).toBe(false);
    expect(committed).toBe(false);
  });

  it('shouldNotCommitWhenTheHeartbeatBeforeTheCommitFails', async () => {
    const { manager } = harness();
    manager.assign([0]);
    const rebalancing = async () => {
      throw new Error('REBALANCE_IN_PROGRESS');
    };
    expect(await manager.run(0, async () => {}, rebalancing)).toBe(true); // no commit: not asked
    await expect(manager.run(0, async (_task, ensureOwned) => ensureOwned(), rebalancing)).rejects.toThrow(
      'REBALANCE_IN_PROGRESS',
    );
  });

  it('shouldKeepATaskOfAPartitionStillAssignedWhenTheGroupRejoins', async () => {
    const { manager, opened } = harness();
    manager.assign([0, 1]);
    expect(await manager.run(0, async () => {}, heartbeat)).toBe(true);
    manager.assign([0]);
    expect(await manager.run(0, async () => {}, heartbeat)).toBe(true);
    expect(opened).toEqual([[0, 1]]);
  });

  it('shouldReopenEveryTaskOnEachRejoinWhenAskedTo', async () => {
    const { manager, opened, tasks } = harness({ reopenOnRejoin: true });
    manager.assign([0, 1]);
    expect(await manager.run(0, async () => {}, heartbeat)).toBe(true);
    manager.assign([0]);
    expect(await manager.run(0, async () => {}, heartbeat)).toBe(true);
    expect(opened).toEqual([[0, 1], [0]]);
    expect(tasks.slice(0, 2).every((t) => t.closed)).toBe(true);
  });

  it('shouldCloseAFencedTaskWhenTheBatchThrowsTheBrokersPlainFencedError', async () => {
    const { manager, tasks } = harness();
    manager.assign([6]);
    const error = Object.assign(new Error('Producer attempted an operation with an old epoch'), {
      type: 'INVALID_PRODUCER_EPOCH',
    });
    await expect(
      manager.run(
        6,
        async () => {
          throw error;
        },
        heartbeat,
      ),
    ).rejects.toBeInstanceOf(TaskMigratedError);
    expect(await manager.run(6, async () => {}, heartbeat)).toBe(false);
    await new Promise((r) => setTimeout(r, 10));
    expect(tasks[0]!.closed).toBe(true);
  });
});
