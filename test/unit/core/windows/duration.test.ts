import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERTER_SETTINGS } from '../../../../services/alerter/src/settings.ts';
import { loadSettings } from '../../../../services/core/src/config/load.ts';
import { settingKinds } from '../../../../services/core/src/config/settings.ts';
import {
  durationMs,
  durationName,
  normalDuration,
  parseDuration,
} from '../../../../services/core/src/windows/duration.ts';
import { PERFORMANCE_SETTINGS } from '../../../../services/performance-monitor/src/settings.ts';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const HOME = 'services/core/src/windows/duration.ts';

describe('duration grammar', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['60m', 3_600_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['2w', 1_209_600_000],
    [' 5 m ', 300_000],
    ['250', 250],
    ['0s', 0],
  ])('shouldReadMillisecondsWhenGiven %j', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(['', 'soon', '5 minutes', '1.5h', '-5m', '5M', '5mm', 'h', '99999999999999999d'])(
    'shouldRefuseTextWhenNotInTheGrammar %j',
    (text) => {
      expect(durationMs(text)).toBeUndefined();
    },
  );

  it('shouldRefuseABareNumberWhenAUnitIsRequired', () => {
    expect(durationMs('250', { unit: 'required' })).toBeUndefined();
    expect(durationMs('250ms', { unit: 'required' })).toBe(250);
  });

  it.each([
    [300_000, '5m'],
    [3_600_000, '1h'],
    [5_400_000, '90m'],
    [604_800_000, '7d'],
    [90_000, '90s'],
    [1500, '1500ms'],
  ])('shouldNameTheNormalFormWhenGiven %d ms', (ms, name) => {
    expect(durationName(ms)).toBe(name);
  });

  it('shouldGiveOneNormalFormWhenTheSameSpanIsSpelledDifferently', () => {
    const names = ['60m', '3600s', '3600000', '3600000ms', '1h'].map((t) => normalDuration(t));
    expect(new Set(names)).toEqual(new Set(['1h']));
  });
});

describe('duration settings', () => {
  it('shouldThrowAConfigErrorNamingTheSettingWhenParseDurationIsGivenText', () => {
    expect(parseDuration('5m', 'S')).toBe(300_000);
    expect(() => parseDuration('5 minutes', 'DRIFTLINE_WINDOWS')).toThrow(
      'invalid configuration: DRIFTLINE_WINDOWS: not a duration',
    );
  });

  it.each([
    ['duration', '1500ms', 1500],
    ['duration', '0', 0],
    ['wholeSecondsDuration', '90s', 90_000],
    ['wholeSecondsDuration', '0s', 0],
  ] as const)('shouldReadMillisecondsWhenTheKind %s is given %j', (kind, text, ms) => {
    expect(settingKinds[kind].parse(text)).toBe(ms);
  });

  it.each([
    ['duration', 'soon', 'not a duration: "soon"'],
    ['wholeSecondsDuration', 'soon', 'not a duration: "soon"'],
    ['wholeSecondsDuration', '1500ms', 'must be a whole number of seconds'],
  ] as const)('shouldRefuseWhenTheKind %s is given %j', (kind, text, message) => {
    const r = settingKinds[kind].safeParse(text);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual([expect.stringContaining(message)]);
  });
});

describe('alerter performance window', () => {
  it('shouldMatchThePerformanceMonitorWindowNameWhenSpelledAs60m', () => {
    const alerter = loadSettings(ALERTER_SETTINGS, { DRIFTLINE_ALERTER_PERF_WINDOW: '60m' });
    const perf = loadSettings(PERFORMANCE_SETTINGS, { DRIFTLINE_PERF_WINDOWS: '5m,1h' });
    const written = perf.windows.map((ms: number) => durationName(ms));
    expect(alerter.performanceWindow).toBe('1h');
    expect(written).toContain(alerter.performanceWindow);
  });

  it('shouldFailAtStartUpNamingTheSettingWhenTheWindowIsNotADuration', () => {
    expect(() => loadSettings(ALERTER_SETTINGS, { DRIFTLINE_ALERTER_PERF_WINDOW: 'hourly' })).toThrow(
      /DRIFTLINE_ALERTER_PERF_WINDOW/,
    );
  });
});

/** Signs of a duration grammar written again: a unit alternation or a table of unit sizes. */
const GRAMMAR_SIGNS = [/\(ms\|s\|/, /\[s?mhdw?\]/, /\bh:\s*3_?600_?000\b/, /\['h',\s*3_?600_?000\]/];

function serviceSources(): string[] {
  return readdirSync(path.join(ROOT, 'services'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

describe('one home for durations', () => {
  it('shouldFindNoDurationParsingWhenOutsideTheCoreModule', () => {
    const offenders = serviceSources()
      .filter((file) => file !== HOME)
      .filter((file) => {
        const text = readFileSync(path.join(ROOT, file), 'utf8');
        return GRAMMAR_SIGNS.some((sign) => sign.test(text));
      });
    expect(offenders).toEqual([]);
  });
});
