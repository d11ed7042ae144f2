import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../services/core/src/logger.ts';
import type { PartitionClock } from '../../../services/core/src/windows/window-finality.ts';
import { CloseLoop } from '../../../services/estimator/src/close-loop.ts';
import { createEstimatorMetrics } from '../../../services/estimator/src/metrics.ts';
import type { EstimatorStore, PendingWindow } from '../../../services/estimator/src/store.ts';

const MINUTE = 60_000;
const GRACE = 5_000;
const IDLE = 10 * MINUTE;
const NOW = 1_000 * MINUTE;
const pending = (minute: number): PendingWindow => ({
  model_id: 'churn',
  model_version: 'v1',
  window_start_ms: minute * MINUTE,
  window_end_ms: (minute + 1) * MINUTE,
});
const at = (partition: number, timeMs: number, writtenAtMs = NOW): PartitionClock => ({
  partition,
  timeMs,
  writtenAtMs,
});

/** The windows one pass estimates (those whose partials it reads), over a store holding `clocks`. */
async function estimatedStarts(
  clocks: PartitionClock[],
  lagging: number[] = [],
  partitions = 2,
): Promise<number[]> {
  const read: number[] = [];
  const store = {
    pendingWindows: async () => [pending(0), pending(1), pending(2)],
    modelClocks: async () => new Map([['churn', clocks]]),
    partialsOf: async (w: PendingWindow) => (read.push(w.window_start_ms / MINUTE), []),
    realizable: async () => [],
    insert: async () => {},
  } as unknown as EstimatorStore;
  const loop = new CloseLoop({
    store,
    windowSize: '1m',
    graceMs: GRACE,
    idleMs: IDLE,
    bandZ: 1.96,
    divergenceWindows: 3,
    referenceOf: () => ({ labeled: 0, accuracy: null }),
    sourceLag: async () => ({ partitions, lagging: new Set(lagging) }),
    markClosed: () => {},
    metrics: createEstimatorMetrics(new Registry()),
    logger: createLogger('test', 'silent'),
    now: () => NOW,
  });
  await loop.tick();
  return read;
}

describe('the estimator close loop', () => {
  it('shouldEstimateAWindowOnceEveryPartitionPassedItsEndPlusGrace', async () => {
    expect(await estimatedStarts([at(0, 3 * MINUTE), at(1, 2 * MINUTE + GRACE)])).toEqual([0, 1]);
    expect(await estimatedStarts([at(0, 3 * MINUTE), at(1, 2 * MINUTE + GRACE - 1)])).toEqual([0]);
  });

  it('shouldWaitWhileAPartitionHasNoEventOfTheModel', async () => {
    expect(await estimatedStarts([at(0, 3 * MINUTE)])).toEqual([]);
  });

  it('shouldEstimateEveryWindowOfAModelIdleWithNothingLeftToProcess', async () => {
    expect(await estimatedStarts([at(0, 30_000, NOW - IDLE)])).toEqual([0, 1, 2]);
    expect(await estimatedStarts([at(0, 30_000, NOW - IDLE + 1)])).toEqual([]);
  });

  it('shouldNotTakeAModelForIdleWhileItsPartitionStillHasABacklog', async () => {
    // Back from an outage longer than the idle time: the backlog is processed before windows close.
    expect(await estimatedStarts([at(0, 30_000, NOW - 2 * IDLE)], [0])).toEqual([]);
    expect(await estimatedStarts([at(0, 30_000, NOW - 2 * IDLE)], [1])).toEqual([]);
  });
});
