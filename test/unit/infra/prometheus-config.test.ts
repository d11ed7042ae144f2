import { describe, expect, it } from 'vitest';
import { composeServices, declaredMetrics, isKnownSeries, processMetricPrefix, read } from './sources.ts';

const config = read('infra/prometheus/prometheus.yml');
const rules = read('infra/prometheus/alert-rules.yml');

/** Each rule as its YAML text, from one `- alert:` to the next. */
const ruleBlocks = rules
  .split(/\n\s+- alert: /)
  .slice(1)
  .map((block) => ({ name: block.split('\n')[0]!.trim(), text: block }));

/** The PromQL of a rule: a one-line `expr:` or a folded `expr: >-` block. */
function expression(text: string): string {
  const m = /expr: (?:>-\n((?:\s{10,}.*\n)+)|(.*)\n)/.exec(text);
  return (m?.[1] ?? m?.[2] ?? '').replace(/\s+/g, ' ').trim();
}

describe('infra/prometheus', () => {
  it('shouldScrapeEveryServiceTheComposeFileStartsOnItsMetricsPort', () => {
    const services = composeServices();
    expect(services).toEqual(
      expect.arrayContaining(['sink', 'label-joiner', 'performance-monitor', 'drift-monitor', 'alerter']),
    );
    for (const s of services) {
      expect(config, s).toContain(`- targets: ['${s}:9464']\n        labels: { service: ${s} }`);
    }
    expect(read('infra/docker/Dockerfile')).toContain('DRIFTLINE_HTTP_PORT=9464');
    expect(config).toMatch(/rule_files:\n\s+- alert-rules\.yml/);
    expect(read('docker-compose.yml')).toContain('./infra/prometheus:/etc/prometheus:ro');
  });

  it('shouldAlertOnServiceDownLagDeadLettersAndBatchLatency', () => {
    expect(ruleBlocks.map((r) => r.name)).toEqual(
      expect.arrayContaining([
        'DriftlineServiceDown',
        'DriftlineConsumerLagHigh',
        'DriftlineDeadLetterRateHigh',
        'DriftlineBatchLatencyHigh',
      ]),
    );
    for (const r of ruleBlocks) {
      expect(expression(r.text).length, r.name).toBeGreaterThan(10);
      expect(r.text, r.name).toMatch(/severity: (critical|warning|info)\n/);
      expect(r.text, r.name).toMatch(/summary: /);
      expect(r.text, r.name).toMatch(/description: /);
    }
  });

  it('shouldUseOnlyMetricsTheServicesWrite', () => {
    const declared = declaredMetrics();
    const prefix = processMetricPrefix();
    const used = ruleBlocks.flatMap((r) =>
      [...expression(r.text).matchAll(/\bdriftline_\w+/g)].map((m) => m[0]),
    );
    expect(used.length).toBeGreaterThan(5);
    for (const name of used) expect(isKnownSeries(name, declared, prefix), name).toBe(true);
    expect(expression(ruleBlocks.find((r) => r.name === 'DriftlineServiceDown')!.text)).toBe(
      'up{job="driftline"} == 0',
    );
  });
});
