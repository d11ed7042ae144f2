import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../services/core/src/logger.ts';
import { TumblingWindows } from '../../../services/core/src/windows/tumbling-windows.ts';
import { CloseLoop, type CloseLoopDeps } from '../../../services/drift-monitor/src/close-loop.ts';
import type { ModelWatermarkRow } from '../../../services/drift-monitor/src/rows.ts';

const HOUR = 3_600_000;
const GRACE = 300_000;

function loop(): { closer: CloseLoop; passes: () => number } {
  const deps = {
    windows: TumblingWindows.ofSizeAndGrace(HOUR, GRACE, 'TEST'),
    logger: createLogger('test', 'silent'),
  } as unknown as CloseLoopDeps;
  const closer = new CloseLoop(deps);
  const tick = vi.spyOn(closer, 'tick').mockResolvedValue(0);
  return { closer, passes: () => tick.mock.calls.length };
}

const times = (partition: number, ms: number): ModelWatermarkRow[] => [
  { model_id: 'm', source_partition: partition, stream_time_ms: ms, through_offset: 1, written_at_ms: 0 },
];

describe('drift close loop, passes after a commit', () => {
  it('shouldRunAPassAfterTheCommitOfABatchThatPassedAClosingPoint', async () => {
    const { closer, passes } = loop();
    closer.noteStreamTimes(times(0, HOUR));
    closer.afterCommit();
    closer.noteStreamTimes(times(0, HOUR + GRACE - 1));
    closer.afterCommit();
    await vi.waitFor(() => expect(passes()).toBe(0));
    closer.noteStreamTimes(times(0, HOUR + GRACE));
    closer.afterCommit();
    await vi.waitFor(() => expect(passes()).toBe(1));
    closer.afterCommit(); // nothing new passed since that pass
    await closer.stop();
    expect(passes()).toBe(1);
  });

  it('shouldRunPassesOneAtATimeAndFoldRequestsMadeMeanwhile', async () => {
    const { closer } = loop();
    let running = 0;
    let most = 0;
    let count = 0;
    let release!: () => void;
    vi.spyOn(closer, 'tick').mockImplementation(async () => {
      running++;
      most = Math.max(most, running);
      count++;
      await new Promise<void>((r) => (release = r));
      running--;
      return 0;
    });
    for (let p = 0; p < 4; p++) closer.noteStreamTimes(times(p, HOUR));
    closer.noteStreamTimes(times(0, HOUR + GRACE));
    closer.afterCommit();
    await vi.waitFor(() => expect(running).toBe(1));
    for (let p = 1; p < 4; p++) {
      closer.noteStreamTimes(times(p, HOUR + GRACE));
      closer.afterCommit();
    }
    release();
    await vi.waitFor(() => expect(count).toBe(2));
    release();
    await closer.stop();
    expect(most).toBe(1);
    expect(count).toBe(2); // the first, then one for the three asked for while it ran
  });
});
