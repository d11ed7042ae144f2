import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../../services/core/src/logger.ts';
import { WallClockPunctuator } from '../../../../services/core/src/windows/wall-clock-punctuator.ts';

afterEach(() => vi.useRealTimers());

function punctuator(punctuate: () => Promise<unknown>) {
  const logger = createLogger('test', 'silent');
  const warn = vi.spyOn(logger, 'warn');
  return { p: new WallClockPunctuator({ punctuate, logger, what: 'closing windows' }), warn };
}

describe('WallClockPunctuator', () => {
  it('shouldRunEachIntervalAfterThePreviousPassEndedWhenStarted', async () => {
    vi.useFakeTimers();
    let passes = 0;
    const { p } = punctuator(async () => {
      passes += 1;
      await new Promise((resolve) => setTimeout(resolve, 250)); // a pass longer than the interval
    });
    p.start(100);
    await vi.advanceTimersByTimeAsync(99);
    expect(passes).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(349); // 250 running, then 100 waiting: the second pass starts at 450
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(2);
    const stopping = p.stop();
    await vi.advanceTimersByTimeAsync(250);
    await stopping;
    await vi.advanceTimersByTimeAsync(1000);
    expect(passes).toBe(2);
  });

  it('shouldLogAFailedPassAndTryAgainWhenAPassThrows', async () => {
    vi.useFakeTimers();
    let passes = 0;
    const { p, warn } = punctuator(async () => {
      passes += 1;
      if (passes === 1) throw new Error('ClickHouse away');
    });
    p.start(10);
    await vi.advanceTimersByTimeAsync(20);
    expect(passes).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]).toEqual([{ error: 'ClickHouse away' }, 'closing windows failed; retrying']);
    await p.stop();
  });

  it('shouldWaitForThePassUnderWayWhenStopped', async () => {
    let release!: () => void;
    let finished = false;
    const { p } = punctuator(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      finished = true;
    });
    p.start(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const stopped = p.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
  });
});
