import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../services/core/src/config/load.ts';
import { DRIFT_SETTINGS } from '../../../services/drift-monitor/src/settings.ts';

describe('drift-monitor settings', () => {
  it('shouldUseTheDocumentedDefaultsWhenNothingIsSet', () => {
    const s = loadSettings(DRIFT_SETTINGS, {});
    expect(s).toMatchObject({
      windowMs: 3_600_000,
      graceMs: 300_000,
      correction: 'bh',
      driftShare: 0.5,
      largeWindow: 1000,
      bootstrapEvents: 0,
    });
    expect(s.thresholds).toEqual({ ks: 0.05, wasserstein: 0.1, psi: 0.1, jensen_shannon: 0.1, chi2: 0.05 });
    expect(s.featureTests.size).toBe(0);
    expect(s.detectors).toEqual(['adwin', 'page_hinkley', 'ddm']);
  });

  it('shouldParsePerFeatureTestsAndThresholdsWhenGivenAsAList', () => {
    const s = loadSettings(DRIFT_SETTINGS, {
      DRIFTLINE_DRIFT_FEATURE_TESTS: 'x0:psi:0.2, plan:chi2, __score__:a:ks:0.01, age::0.3',
      DRIFTLINE_DRIFT_THRESHOLDS: 'psi:0.25',
    });
    expect([...s.featureTests]).toEqual([
      ['x0', { test: 'psi', threshold: 0.2 }],
      ['plan', { test: 'chi2' }],
      ['__score__:a', { test: 'ks', threshold: 0.01 }],
      ['age', { threshold: 0.3 }],
    ]);
    expect(s.thresholds.psi).toBe(0.25);
  });

  it('shouldParsePerFeatureTestsWhenGivenAsJson', () => {
    const s = loadSettings(DRIFT_SETTINGS, {
      DRIFTLINE_DRIFT_FEATURE_TESTS: '{"x0":{"test":"wasserstein","threshold":0.2}}',
    });
    expect(s.featureTests.get('x0')).toEqual({ test: 'wasserstein', threshold: 0.2 });
  });

  it.each([
    [
      'DRIFTLINE_DRIFT_FEATURE_TESTS',
      'x0:kolmogorov',
      'valid tests: ks, wasserstein, psi, jensen_shannon, chi2',
    ],
    ['DRIFTLINE_DRIFT_FEATURE_TESTS', '{"x0":{"test":"t"}}', 'valid tests: ks'],
    ['DRIFTLINE_DRIFT_THRESHOLDS', 'kss:0.1', 'valid tests: ks'],
    ['DRIFTLINE_DRIFT_THRESHOLDS', 'ks:abc', 'not a number'],
    ['DRIFTLINE_DRIFT_CORRECTION', 'holm', 'valid corrections: none, bonferroni, bh'],
    ['DRIFTLINE_DRIFT_WINDOW', '1500ms', 'whole number of seconds'],
    ['DRIFTLINE_DRIFT_GRACE', 'soon', 'not a duration'],
    ['DRIFTLINE_DRIFT_SHARE', '0', 'must be in (0, 1]'],
    ['DRIFTLINE_DRIFT_DETECTORS', 'adwin,kswin', 'valid detectors: adwin, page_hinkley, ddm, no_drift'],
  ])('shouldNameTheVariableAndTheValidValuesWhen %s is %s', (name, value, message) => {
    expect(() => loadSettings(DRIFT_SETTINGS, { [name]: value })).toThrow(name);
    expect(() => loadSettings(DRIFT_SETTINGS, { [name]: value })).toThrow(message);
  });
});
