import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RulesError } from '../../../services/alerter/src/errors.ts';
import { loadRules, parseRules, rulesFor } from '../../../services/alerter/src/rules/load.ts';
import { RULES_FILE } from './helpers.ts';

const shipped = JSON.parse(readFileSync(RULES_FILE, 'utf8')) as {
  defaults: Record<string, unknown>;
  models: Record<string, unknown>;
};

function problems(file: object, env: Record<string, string> = {}): string {
  try {
    parseRules(JSON.stringify(file), 'infra/alerting/rules.json', env);
  } catch (error) {
    expect(error).toBeInstanceOf(RulesError);
    return (error as Error).message;
  }
  throw new Error('expected a RulesError');
}

const withModels = (models: Record<string, unknown>) => ({ ...shipped, models });

describe('rules file', () => {
  it('shouldLoadTheShippedDefaults', () => {
    const rules = loadRules(RULES_FILE, {});
    expect(rules.defaults.lifecycle.renotify_after).toBe(24 * 3_600_000);
    expect(rules.defaults.rules.performance.accuracy_drop).toMatchObject({ warning_pct: 2, critical_pct: 5 });
    expect(rules.defaults.retrain.min_interval).toBe(6 * 3_600_000);
  });

  it('shouldNameFileRuleAndSettingWhenAValueHasTheWrongType', () => {
    const bad = withModels({});
    const env = { DRIFTLINE_ALERT__DEFAULTS__RULES__PERFORMANCE__ACCURACY_DROP__CRITICAL_PCT: 'five' };
    expect(problems(bad, env)).toBe(
      'rules file infra/alerting/rules.json: rule performance.accuracy_drop: setting critical_pct: expected a number, got "five"',
    );
  });

  it('shouldNameTheModelWhenAnOverrideIsBad', () => {
    const message = problems(withModels({ fraud: { rules: { latency: { p95: { warning_ms: -3 } } } } }));
    expect(message).toContain(
      'rules file infra/alerting/rules.json: model fraud: rule latency.p95: setting warning_ms',
    );
  });

  it('shouldListValidChoicesForAnUnknownRuleTypeOrGroup', () => {
    const typo = withModels({ m: { rules: { performance: { accuracy_drop: { type: 'dorp' } } } } });
    expect(problems(typo)).toContain(
      'model m: rule performance.accuracy_drop: setting type: expected one of drop, objective, got "dorp"',
    );
    const group = withModels({ m: { rules: { latencies: {} } } });
    expect(problems(group)).toContain(
      'section rules: unknown setting "latencies"; valid rule groups: performance',
    );
  });

  it('shouldRejectUnknownSettingsInARule', () => {
    const extra = withModels({ m: { rules: { data_drift: { share: { critical_feature: ['age'] } } } } });
    expect(problems(extra)).toContain('model m: rule data_drift.share: unknown setting "critical_feature"');
  });

  it('shouldRejectCriticalBelowWarning', () => {
    const env = { DRIFTLINE_ALERT__DEFAULTS__RULES__PERFORMANCE__ACCURACY_DROP__CRITICAL_PCT: '1' };
    expect(problems(shipped, env)).toContain(
      'rule performance.accuracy_drop: setting critical_pct: must be at least warning_pct, got 1',
    );
    const objective = { DRIFTLINE_ALERT__DEFAULTS__RULES__PERFORMANCE__ACCURACY_OBJECTIVE__CRITICAL: '0.9' };
    expect(problems(shipped, objective)).toContain(
      'rule performance.accuracy_objective: setting critical: must be at most warning (0.7), got 0.9',
    );
  });

  it('shouldNameBadDurationsAndMissingSections', () => {
    const env = { DRIFTLINE_ALERT__DEFAULTS__RETRAIN__MIN_INTERVAL: 'soon' };
    expect(problems(shipped, env)).toContain(
      'section retrain: setting min_interval: expected a duration such as "30s", "5m", "6h", "30d", got "soon"',
    );
    const { retrain: _omit, ...noRetrain } = shipped.defaults;
    expect(problems({ defaults: noRetrain })).toContain('section retrain: missing (expected a object)');
  });

  it('shouldMergeModelOverridesOverDefaults', () => {
    const file = withModels({
      fraud: { rules: { data_drift: { share: { critical_features: ['amount'] } } } },
    });
    const rules = parseRules(JSON.stringify(file), 'x.json');
    expect(rulesFor(rules, 'fraud').rules.data_drift.share).toMatchObject({
      warning_share: 0.3,
      critical_features: ['amount'],
    });
    expect(rulesFor(rules, 'other').rules.data_drift.share!.critical_features).toEqual([]);
  });

  it('shouldApplyJsonAndPathEnvironmentOverridesInThatOrder', () => {
    const env = {
      DRIFTLINE_ALERT_RULES_JSON: JSON.stringify({
        defaults: { retrain: { daily_cap: 7, min_interval: '1h' } },
      }),
      DRIFTLINE_ALERT__DEFAULTS__RETRAIN__DAILY_CAP: '3',
    };
    const rules = parseRules(JSON.stringify(shipped), 'x.json', env);
    expect(rules.defaults.retrain).toMatchObject({ daily_cap: 3, min_interval: 3_600_000 });
  });

  it('shouldNameTheFileWhenItIsNotJsonOrMissing', () => {
    expect(() => parseRules('{ nope', 'bad.json')).toThrow(/^rules file bad.json: not valid JSON/);
    expect(() => loadRules('/nonexistent/rules.json', {})).toThrow(
      /rules file \/nonexistent\/rules.json: cannot read/,
    );
  });
});
