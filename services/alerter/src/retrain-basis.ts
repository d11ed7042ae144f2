import type { Evidence } from '../../core/src/records/records.generated.ts';
import type { Condition } from './condition.ts';
import type { Signals } from './diagnosis.ts';
import type { AlertState } from './lifecycle.ts';
import type { ModelRules } from './rules/schema.ts';
import { alertKey } from './state.ts';
import type { ResultWindow } from './window.ts';

const isOpen = (a: AlertState | undefined) => a?.phase === 'firing' || a?.phase === 'resolving';

/** Features named critical by any data-drift or feature-drift rule. */
function criticalFeatures(rules: ModelRules): Set<string> {
  const groups = [rules.rules.data_drift, rules.rules.feature_drift];
  return new Set(groups.flatMap((g) => Object.values(g).flatMap((r) => r.critical_features)));
}

/**
 * The open alerts a retrain would answer: critical performance alerts and data drift of critical features,
 * each CONFIRMED: breaching in at least `retrain.confirm_windows` consecutive final windows (a provisional
 * verdict or a single noisy window is never enough).
 */
export function retrainBasis(
  alerts: Record<string, AlertState>,
  w: ResultWindow,
  rules: ModelRules,
  s: Signals,
  conditions: Condition[],
) {
  const critical = criticalFeatures(rules);
  const criticalDrift = s.driftedFeatures.filter((f) => critical.has(f.subject));
  const behind: { alertId: string; evidence: Evidence[] }[] = [];
  let performance = false;
  let drift = false;
  for (const [key, a] of Object.entries(alerts)) {
    const [version, kind] = key.split('|');
    if (version !== w.modelVersion || !isOpen(a) || a.severity !== 'CRITICAL') continue;
    if ((a.breaches ?? 0) < rules.retrain.confirm_windows) continue;
    const own = conditions.find((c) => alertKey(w.modelVersion, c.kind, c.metric) === key)?.evidence ?? [];
    if (kind === 'PERFORMANCE') {
      performance = true;
      behind.push({ alertId: a.openedBy, evidence: [...own, ...s.recallDrops] });
    } else if (kind === 'DATA_DRIFT' && criticalDrift.length > 0) {
      drift = true;
      behind.push({ alertId: a.openedBy, evidence: criticalDrift });
    }
  }
  return { performance, drift, behind };
}
