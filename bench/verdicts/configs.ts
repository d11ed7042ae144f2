/**
 * The two configurations the benchmark compares through the same code: the defaults as they are now, and
 * the rules as they were before sample-size-aware verdicts ("today's rules": a baseline of one complete
 * window, drops compared as point values, data drift only as the share of drifted features, final windows
 * only, every raw concept-drift signal), expressed as settings of the current code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VerdictConfig {
  name: string;
  /** Environment the services would get: the same settings tables read it. */
  env: Record<string, string>;
  /** The alert rules file's text. */
  rules: string;
  rulesFile: string;
  /**
   * Whether a concept-drift detector's signal is reported only once confirmed by a significant error-rate
   * rise (the drift monitor's default), or every raw signal as River gives it (before).
   */
  confirmDetections: boolean;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Settings both runs share. They do not change a verdict, only the work: the alerter watches the 1 h
 * performance window (DRIFTLINE_ALERTER_PERF_WINDOW), so the other window sizes, the rolling window, the
 * version comparisons and the per-minute buckets (for ad-hoc queries) are left out.
 */
export const SHARED_ENV: Record<string, string> = {
  DRIFTLINE_PERF_WINDOWS: '1h',
  DRIFTLINE_PERF_BUCKET: '1h',
  DRIFTLINE_PERF_ROLLING_N: '0',
  DRIFTLINE_PERF_COMPARE: 'off',
};

/** The window size the alerter's performance rules watch (DRIFTLINE_ALERTER_PERF_WINDOW's default). */
export const ALERT_WINDOW = '1h';

export function configs(): VerdictConfig[] {
  const current = path.join(root, 'infra/alerting/rules.json');
  const today = path.join(here, 'todays-rules.json');
  return [
    {
      name: 'today',
      env: { ...SHARED_ENV, DRIFTLINE_PERF_BASELINE: 'first:1' },
      rules: readFileSync(today, 'utf8'),
      rulesFile: path.relative(root, today),
      confirmDetections: false,
    },
    {
      name: 'new',
      env: { ...SHARED_ENV },
      rules: readFileSync(current, 'utf8'),
      rulesFile: path.relative(root, current),
      confirmDetections: true,
    },
  ];
}
