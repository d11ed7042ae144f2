import { describe, expect, it } from 'vitest';
import { loadConfig, loadSettings, settingsTable } from '../../../services/core/src/config/load.ts';
import { ConfigError } from '../../../services/core/src/errors.ts';
import { resolveProcessorOptions } from '../../../services/performance-monitor/src/options.ts';
import { PERFORMANCE_SETTINGS } from '../../../services/performance-monitor/src/settings.ts';
import { durationName } from '../../../services/performance-monitor/src/settings-parse.ts';

const resolve = (env: Record<string, string>) =>
  resolveProcessorOptions(loadSettings(PERFORMANCE_SETTINGS, env), loadConfig(env));

function configError(env: Record<string, string>): ConfigError {
  try {
    resolve(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('performance-monitor settings', () => {
  it('shouldUseDocumentedDefaultsWhenNothingIsSet', () => {
    const o = resolve({});
    expect(o.windows).toEqual([
      { ms: 300_000, name: '5m' },
      { ms: 3_600_000, name: '1h' },
      { ms: 86_400_000, name: '1d' },
    ]);
    expect(o).toMatchObject({
      bucketMs: 60_000,
      allowedLatenessMs: 3_600_000, // DRIFTLINE_ALLOWED_LATENESS_MS
      rollingSize: 1000,
      rollingEvery: 1000,
      segmentTags: [],
      baseline: { mode: 'labels', count: 2000 },
      comparisons: { mode: 'auto' },
      compareTest: 'two_proportion_z',
      alpha: 0.05,
    });
  });

  it('shouldParseListsPeriodsAndPairsWhenSet', () => {
    const o = resolve({
      DRIFTLINE_PERF_WINDOWS: '1h, 90s,1h',
      DRIFTLINE_PERF_BUCKET: '30s',
      DRIFTLINE_PERF_ALLOWED_LATENESS: '2h',
      DRIFTLINE_PERF_SEGMENT_TAGS: 'region, arm',
      DRIFTLINE_PERF_BASELINE: 'period:2026-01-01T00:00:00Z/2026-01-08T00:00:00Z',
      DRIFTLINE_PERF_COMPARE: 'churn:v1:v2,*:a:b',
    });
    expect(o.windows.map((w) => w.name)).toEqual(['90s', '1h']);
    expect(o.allowedLatenessMs).toBe(7_200_000);
    expect(o.segmentTags).toEqual(['region', 'arm']);
    expect(o.baseline).toEqual({
      mode: 'period',
      fromMs: Date.parse('2026-01-01'),
      toMs: Date.parse('2026-01-08'),
    });
    expect(o.comparisons).toEqual({
      mode: 'pairs',
      pairs: [
        { model: 'churn', baseline: 'v1', candidate: 'v2' },
        { model: '*', baseline: 'a', candidate: 'b' },
      ],
    });
  });

  it.each([
    ['DRIFTLINE_PERF_WINDOWS', '5 minutes'],
    ['DRIFTLINE_PERF_WINDOWS', ''],
    ['DRIFTLINE_PERF_BUCKET', '1m,2m'],
    ['DRIFTLINE_PERF_ALLOWED_LATENESS', 'soon'],
    ['DRIFTLINE_PERF_ROLLING_N', '-1'],
    ['DRIFTLINE_PERF_BASELINE', 'first:0'],
    ['DRIFTLINE_PERF_BASELINE', 'period:2026-01-08/2026-01-01'],
    ['DRIFTLINE_PERF_COMPARE', 'churn:v1'],
    ['DRIFTLINE_PERF_COMPARE_TEST', 'anova'],
    ['DRIFTLINE_PERF_ALPHA', '1.5'],
  ])('shouldFailNamingTheVariableWhen %s=%s', (variable, value) => {
    const error = configError({ [variable]: value });
    expect(error.setting).toBe(variable);
    expect(error.message).toContain(`invalid configuration: ${variable}: `);
  });

  it('shouldFailNamingTheWindowsWhenAWindowIsNotAMultipleOfTheBucket', () => {
    const error = configError({ DRIFTLINE_PERF_WINDOWS: '5m,90s' });
    expect(error.setting).toBe('DRIFTLINE_PERF_WINDOWS');
    expect(error.message).toContain('90s is not a multiple of the bucket 1m');
  });

  it('shouldFailWhenTheReferencePeriodIsNotBucketAligned', () => {
    const error = configError({
      DRIFTLINE_PERF_BASELINE: 'period:2026-01-01T00:00:30Z/2026-01-02T00:00:00Z',
    });
    expect(error.setting).toBe('DRIFTLINE_PERF_BASELINE');
  });

  it('shouldDocumentEverySettingInTheReadmeTable', () => {
    const table = settingsTable();
    for (const s of Object.values(PERFORMANCE_SETTINGS)) expect(table).toContain(`| \`${s.env}\` |`);
    expect(durationName(5400_000)).toBe('90m');
  });
});
