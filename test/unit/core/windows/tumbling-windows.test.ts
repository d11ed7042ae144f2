import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../services/core/src/errors.ts';
import { TumblingWindows } from '../../../../services/core/src/windows/tumbling-windows.ts';

describe('TumblingWindows', () => {
  const w = TumblingWindows.ofSizeAndGrace(300_000, 60_000);

  it('shouldAlignWindowsToTheEpoch', () => {
    expect(w.windowFor(Date.parse('2026-01-01T10:07:31Z'))).toEqual({
      start: Date.parse('2026-01-01T10:05:00Z'),
      end: Date.parse('2026-01-01T10:10:00Z'),
    });
    expect(w.windowFor(Date.parse('2026-01-01T10:05:00Z')).start).toBe(Date.parse('2026-01-01T10:05:00Z'));
    expect(w.windowFor(-1)).toEqual({ start: -300_000, end: 0 });
  });

  it('shouldCloseOnlyAfterEndPlusGrace', () => {
    const win = w.windowFor(0);
    expect(w.isClosed(win, win.end + 59_999)).toBe(false);
    expect(w.isClosed(win, win.end + 60_000)).toBe(true);
  });

  it.each([
    [0, 0],
    [1.5, 0],
    [10, -1],
  ])('shouldRejectSize %s grace %s naming the setting', (size, grace) => {
    expect(() => TumblingWindows.ofSizeAndGrace(size, grace, 'DRIFTLINE_X')).toThrow(ConfigError);
    expect(() => TumblingWindows.ofSizeAndGrace(size, grace, 'DRIFTLINE_X')).toThrow('DRIFTLINE_X');
  });
});
