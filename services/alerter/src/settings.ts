import { z } from 'zod';
import { registerSettings } from '../../core/src/config/load.ts';
import { setting, settingKinds } from '../../core/src/config/settings.ts';
import { normalDuration } from '../../core/src/windows/duration.ts';
import { duration } from './rules/schema.ts';

const { text, positiveInt, nonNegativeInt } = settingKinds;

/**
 * A window size in its normal form (`60m` → `1h`), the form the performance monitor writes to
 * performance_metrics.window_size, so that any spelling of the same span matches its rows.
 */
const windowSizeName = z.string().transform((text, ctx) => {
  const name = normalDuration(text, { unit: 'required' });
  if (name === undefined)
    ctx.addIssue({ code: 'custom', message: 'must be a window size of the performance monitor, e.g. 1h' });
  return name ?? z.NEVER;
});

/** The alerter's own settings (DRIFTLINE_ALERT*), documented in the README's configuration table. */
export const ALERTER_SETTINGS = {
  rulesFile: setting(
    'DRIFTLINE_ALERT_RULES_FILE',
    'infra/alerting/rules.json',
    text,
    'Alert rules and retrain policy (JSON): `defaults` and per-model `models.<id>` overrides; checked at start-up. DRIFTLINE_ALERT_RULES_JSON (a JSON object) and DRIFTLINE_ALERT__<PATH>=value (e.g. DRIFTLINE_ALERT__DEFAULTS__RETRAIN__DAILY_CAP=1) override it.',
  ),
  pollMs: setting(
    'DRIFTLINE_ALERTER_POLL_MS',
    '1000',
    positiveInt,
    'How often the alerter reads every source of closed windows from ClickHouse (a few queries a round; at 5000 the wait alone put alerts 5-7 s after a window closed); drift and estimate windows start a round sooner, see DRIFTLINE_ALERTER_CHECK_MS.',
  ),
  checkMs: setting(
    'DRIFTLINE_ALERTER_CHECK_MS',
    '200',
    nonNegativeInt,
    "How often, between rounds, the alerter looks at ClickHouse's part list (no table data) for a newly written drift or estimate window, and starts a round at once if there is one; a poll that finds no table written since the last round skips its round, so an idle alerter reads only the part list; 0: a round every DRIFTLINE_ALERTER_POLL_MS.",
  ),
  performanceWindow: setting(
    'DRIFTLINE_ALERTER_PERF_WINDOW',
    '1h',
    windowSizeName,
    'Which performance_metrics window size (DRIFTLINE_PERF_WINDOWS) the performance rules watch.',
  ),
  transactionalId: setting(
    'DRIFTLINE_ALERTER_TRANSACTIONAL_ID',
    '',
    z.string(),
    'Transactional id of the alerter; empty: `driftline-alerter-<topic prefix>`. A second instance with the same id fences the first: one alerter is active, a standby takes over.',
  ),
  transactionTimeoutMs: setting(
    'DRIFTLINE_ALERTER_TRANSACTION_TIMEOUT_MS',
    '30000',
    positiveInt,
    "How long a crashed alerter's open transaction may hold back read_committed readers.",
  ),
  staleAfter: setting(
    'DRIFTLINE_ALERTER_STALE_AFTER',
    '24h',
    duration,
    "An open alert resolves (RESOLVED naming the silence) once its version got no window of its source while the model's other versions moved on by more than this, in event time (a retired or replaced version); `0s`: never. A model silent as a whole resolves nothing.",
  ),
};

registerSettings('alerter', ALERTER_SETTINGS);
