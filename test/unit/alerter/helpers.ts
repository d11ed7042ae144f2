import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRules } from '../../../services/alerter/src/rules/load.ts';
import type { ModelRules } from '../../../services/alerter/src/rules/schema.ts';
import type { DriftWindow, FeatureResult, PerformanceWindow } from '../../../services/alerter/src/window.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const RULES_FILE = path.join(ROOT, 'infra/alerting/rules.json');
export const HOUR = 3_600_000;
export const T0 = Date.parse('2026-02-01T00:00:00Z');

/** The shipped defaults with a few changes merged over them (as an environment override would). */
export function rulesWith(overrides: Record<string, string> = {}): ModelRules {
  return parseRules(readFileSync(RULES_FILE, 'utf8'), 'rules.json', overrides).defaults;
}

export function perfWindow(
  i: number,
  accuracy: number,
  extra: Partial<PerformanceWindow> = {},
): PerformanceWindow {
  return {
    source: 'performance',
    modelId: 'm',
    modelVersion: '1',
    startMs: T0 + i * HOUR,
    endMs: T0 + (i + 1) * HOUR,
    sampleCount: 1000,
    metrics: {
      accuracy: { value: accuracy, baseline: 0.9 },
      'recall:cat': { value: accuracy - 0.1, baseline: 0.9 },
      'recall:dog': { value: 0.9, baseline: 0.9 },
    },
    ...extra,
  };
}

export function feature(name: string, drifted: boolean, statistic = drifted ? 0.4 : 0.01): FeatureResult {
  return { feature: name, method: 'ks', statistic, pValue: drifted ? 0.0001 : 0.8, threshold: 0.05, drifted };
}

export function driftWindow(i: number, drifted: string[], extra: Partial<DriftWindow> = {}): DriftWindow {
  const names = ['age', 'income', 'country', 'tenure'];
  return {
    source: 'drift',
    modelId: 'm',
    modelVersion: '1',
    startMs: T0 + i * HOUR,
    endMs: T0 + (i + 1) * HOUR,
    features: names.map((n) => feature(n, drifted.includes(n))),
    share: drifted.length / names.length,
    prediction: null,
    missing: [],
    detections: [],
    latency: {},
    deadLetter: null,
    ...extra,
  };
}

/** An environment override that turns the per-feature drift alerts off: the dataset-share rule alone. */
export const SHARE_ONLY = { DRIFTLINE_ALERT__DEFAULTS__RULES__FEATURE_DRIFT__PER_FEATURE__ENABLED: 'false' };
