import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, declaredMetrics, isKnownSeries, processMetricPrefix, read } from './sources.ts';

const dir = path.join(ROOT, 'infra/prometheus');

/** promtool from Debian's prometheus package (infra/install-promtool.sh, run by `npm test`). */
function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const e = error as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('promtool is missing: run `bash infra/install-promtool.sh`');
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('infra/prometheus rules under promtool', () => {
  it('shouldPassEveryRuleUnitTestWhenPromtoolEvaluatesThem', () => {
    const out = promtool('test', 'rules', 'alert-rules.test.yml', 'model-slo-rules.test.yml');
    expect(out.match(/SUCCESS/g)).toHaveLength(2);
  });

  it('shouldLoadEveryRuleFileThePrometheusConfigNames', () => {
    const config = read('infra/prometheus/prometheus.yml');
    expect(config).toContain('  - model-slo-rules.yml\n');
    const out = promtool('check', 'config', 'prometheus.yml');
    expect(out).toMatch(/model-slo-rules\.yml.*SUCCESS: 4 rules found/s);
  });

  it('shouldWriteModelRulesOnlyOnPerModelSeriesTheServicesDeclare', () => {
    const rules = read('infra/prometheus/model-slo-rules.yml');
    const used = [...rules.matchAll(/\bdriftline_model_\w+/g)].map((m) => m[0]);
    expect(new Set(used).size).toBeGreaterThanOrEqual(5);
    const declared = declaredMetrics();
    for (const name of used) expect(isKnownSeries(name, declared, processMetricPrefix()), name).toBe(true);
  });
});
