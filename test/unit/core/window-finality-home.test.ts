import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceSources } from './service-sources.ts';

/**
 * When an event-time window is final has one home, core/windows/window-finality.ts (modelWatermark, isIdle,
 * isFinal): the drift monitor, the estimator and the performance monitor once wrote it three times, and the copies disagreed on idleness.
 * The check is a pattern over every TypeScript source in services/ with its comments removed: an end plus the
 * grace compared with a time, or a wall-clock silence compared with the idle time.
 */
const HOME = path.join('services', 'core', 'src', 'windows', 'window-finality.ts');

/** Files that match for another reason, and why. */
const ELSEWHERE: Record<string, string> = {
  [path.join('services', 'drift-monitor', 'src', 'store.ts')]:
    "the open partials' filter in SQL: ClickHouse evaluates the same rule on its side",
  [path.join('services', 'label-joiner', 'src', 'watermark.ts')]:
    "a partition side's idleness for join expiry (Flink's withIdleness), not a window's finality",
};

function decidesFinality(code: string): boolean {
  // `end + graceMs <= time`, `time < end + graceMs`, also in a template (`+ ${graceMs} >`)
  const endPlusGrace =
    /\+\s*(?:\$\{)?[\w.]*graceMs\}?\s*[<>]/.test(code) || /[<>]=?\s*[\w.]+\s*\+\s*[\w.]*graceMs\b/.test(code);
  // `now - lastWrite >= idleMs`
  const idle = /-\s*[\w.[\]]+\s*>=?\s*[\w.]*idleMs\b/.test(code);
  // `eventTime < streamTime - allowedLatenessMs`, `streamTime - lateness >= end`
  const minusLateness =
    /-\s*[\w.]*(?:allowedLatenessMs|graceMs)\b\s*[<>]/.test(code) ||
    /[<>]=?\s*[\w.]+\s*-\s*[\w.]*(?:allowedLatenessMs|graceMs)\b/.test(code);
  return endPlusGrace || idle || minusLateness;
}

describe('one home for window finality', () => {
  const all = serviceSources(true);

  it('shouldFindTheRuleInItsHome', () => {
    expect(all.some((s) => s.file === HOME && decidesFinality(s.code))).toBe(true);
  });

  it('shouldFindNoOtherFileInServicesThatDecidesAWindowIsFinal', () => {
    const others = all.filter((s) => s.file !== HOME && !(s.file in ELSEWHERE) && decidesFinality(s.code));
    expect(others.map((s) => `${s.file}: use ${HOME}`)).toEqual([]);
  });

  it.each([
    'if ((!everywhere || clock.timeMs < w.window_end_ms + graceMs) && !idle) continue;',
    'if (first.windowEndMs + args.graceMs > args.watermarkOf(first.modelId)) continue;',
    'return streamTime >= window.end + this.graceMs;',
    'const idle = idleMs > 0 && now - clock.writtenAtMs >= idleMs;',
    'WHERE toInt64(window_end_ms) + ${graceMs} > ${clock}',
    'const late = ts < model.streamTime - this.options.allowedLatenessMs;',
  ])('shouldCatchACopyOfTheRule: %s', (code) => {
    expect(decidesFinality(code)).toBe(true);
  });

  it.each([
    'const since = oldest - deps.lookbackWindows * sizeMs - graceMs;',
    'if (!Number.isInteger(graceMs) || graceMs < 0)',
    'const forgotten = idleMs + this.deps.lookbackWindows * this.deps.windows.sizeMs;',
  ])('shouldLeaveCodeThatOnlyUsesTheSettings: %s', (code) => {
    expect(decidesFinality(code)).toBe(false);
  });
});
