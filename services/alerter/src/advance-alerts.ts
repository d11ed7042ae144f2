import type { Alert } from '../../core/src/records/records.generated.ts';
import type { Condition } from './condition.ts';
import { diagnose, type Signals } from './diagnosis.ts';
import { alertEvent } from './events.ts';
import { INACTIVE, step, type AlertState, type Notice } from './lifecycle.ts';
import { settle, withdrawLeftovers } from './provisional.ts';
import { alertKey, type ModelState } from './state.ts';
import type { ResultWindow } from './window.ts';

/** The notice a settlement shows when the lifecycle itself has none to publish. */
function shownFor(
  early: NonNullable<ReturnType<typeof settle>>,
  after: AlertState,
): Exclude<Notice, { kind: 'none' }> {
  return early.kind === 'confirms'
    ? { kind: 'firing', reason: 'opened', severity: after.severity }
    : { kind: 'resolved' };
}

/**
 * Advances every condition's alert by one final window and builds the events: FIRING and RESOLVED notices,
 * and the confirmation or withdrawal of this window's provisional alerts. Counts consecutive breaching final
 * windows per alert (`breaches`), which the retrain policy asks for.
 */
export function advanceAlerts(
  state: ModelState,
  w: ResultWindow,
  conditions: Condition[],
  s: Signals,
  now: number,
): { alerts: Alert[]; next: Record<string, AlertState>; provisional: ModelState['provisional'] } {
  const alerts: Alert[] = [];
  const next = { ...state.alerts };
  const provisional = { ...state.provisional };
  const settled = new Set<string>();
  for (const c of conditions) {
    const key = alertKey(w.modelVersion, c.kind, c.metric);
    const before = next[key] ?? INACTIVE;
    const [after, notice] = step(before, c.verdict, c.lifecycle, w.endMs);
    const breaches = c.verdict.level === 'breach' ? (before.breaches ?? 0) + 1 : 0;
    next[key] = { ...after, value: c.value, threshold: c.threshold, breaches };
    const open = after.phase === 'firing' || after.phase === 'resolving';
    const early = settle(provisional[key], w, c, notice, open);
    if (early) {
      settled.add(key);
      delete provisional[key];
    }
    if (notice.kind === 'none' && !early) continue;
    const shown = notice.kind !== 'none' ? notice : shownFor(early!, after);
    const event = alertEvent(c, shown, w, s, diagnose(c.kind, s), now, early);
    alerts.push(event);
    if (notice.kind === 'firing') {
      next[key] = {
        ...next[key],
        notifiedAtMs: w.endMs,
        openedBy: notice.reason === 'opened' ? event.alert_id : after.openedBy,
      };
    }
  }
  alerts.push(...withdrawLeftovers(provisional, settled, w, s, now));
  for (const [key, a] of Object.entries(next)) if (a.phase === 'inactive') delete next[key];
  return { alerts, next, provisional };
}
