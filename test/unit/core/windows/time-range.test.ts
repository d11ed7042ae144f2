import { describe, expect, it } from 'vitest';
import { TimeRangeError } from '../../../../services/core/src/errors.ts';
import { parseRange } from '../../../../services/core/src/windows/time-range.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('parseRange', () => {
  it('shouldMatchItsDocExample', () => {
    expect(parseRange('24h', '2026-01-02T00:00:00Z', 0)).toEqual({
      fromMs: 1767225600000,
      toMs: 1767312000000,
    });
  });

  it('shouldCoverTheLastSevenDaysWhenNothingIsGiven', () => {
    expect(parseRange(undefined, undefined, NOW)).toEqual({ fromMs: NOW - 7 * 86_400_000, toMs: NOW });
  });

  it('shouldCountADurationBackFromToWhenToIsGiven', () => {
    const r = parseRange('30m', '2026-03-01T00:00:00Z', NOW);
    expect(r.toMs - r.fromMs).toBe(30 * 60_000);
  });

  it('shouldReadDatesAndZonelessTimesAsUtcWhenNoZoneIsGiven', () => {
    expect(parseRange('2026-03-01', '2026-03-02T06:30', NOW)).toEqual({
      fromMs: Date.parse('2026-03-01T00:00:00Z'),
      toMs: Date.parse('2026-03-02T06:30:00Z'),
    });
  });

  it('shouldAcceptEpochMillisecondsAndNow', () => {
    expect(parseRange('1767225600000', 'now', NOW)).toEqual({ fromMs: 1767225600000, toMs: NOW });
  });

  it('shouldListTheValidFormatsWhenTheInputIsNotATime', () => {
    expect(() => parseRange('yesterday', undefined, NOW)).toThrow(TimeRangeError);
    expect(() => parseRange('yesterday', undefined, NOW)).toThrow(/^from "yesterday": expected an ISO-8601/);
  });

  it('shouldRejectARangeWhenFromIsNotBeforeTo', () => {
    expect(() => parseRange('2026-03-02', '2026-03-01', NOW)).toThrow(/must be before to/);
  });

  it('shouldNameTheBoundsAsTheCallerDoesWhenGivenNames', () => {
    const flags = { from: '--from', to: '--to' };
    expect(() => parseRange('soon', undefined, NOW, flags)).toThrow(/^--from "soon": expected an ISO-8601/);
    expect(() => parseRange('2026-03-02', '2026-03-01', NOW, flags)).toThrow(
      /^--from \(.*\) must be before --to/,
    );
  });

  it('shouldReadSixtyMinutesAsOneHourWhenCountingBack', () => {
    expect(parseRange('60m', 'now', NOW)).toEqual(parseRange('1h', 'now', NOW));
  });
});
