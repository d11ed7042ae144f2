import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../services/alerter/src/rules/load.ts';
import { loadSettings } from '../../../services/core/src/config/load.ts';
import { PERFORMANCE_SETTINGS } from '../../../services/performance-monitor/src/settings.ts';
import { configs } from '../../../bench/verdicts/configs.ts';

describe('verdict benchmark configurations', () => {
  const [today, current] = configs();

  it('shouldReadBothRuleFilesWithTheAlertersOwnChecks', () => {
    for (const c of configs()) expect(() => parseRules(c.rules, c.rulesFile, c.env)).not.toThrow();
  });

  it('shouldRunTodaysRulesAsBeforeWhenNamedToday', () => {
    const rules = parseRules(today!.rules, today!.rulesFile, today!.env).defaults;
    expect(rules.provisional.enabled).toBe(false);
    expect(rules.rules.feature_drift).toEqual({});
    expect(Object.values(rules.rules.performance).every((r) => r.test === 'none')).toBe(true);
    expect(loadSettings(PERFORMANCE_SETTINGS, today!.env).baseline).toEqual({ mode: 'first', windows: 1 });
    expect(today!.confirmDetections).toBe(false);
  });

  it('shouldRunTheCommittedDefaultsWhenNamedNew', () => {
    expect(current!.rulesFile).toBe('infra/alerting/rules.json');
    const perf = loadSettings(PERFORMANCE_SETTINGS, current!.env);
    expect(perf.baseline).toEqual(loadSettings(PERFORMANCE_SETTINGS, {}).baseline);
    expect(current!.confirmDetections).toBe(true);
  });
});
