import type { Alert, AlertKind } from '../../core/src/records/records.generated.ts';
import { durationName } from '../../core/src/windows/duration.ts';
import { evidence } from './condition.ts';
import { NO_SIGNALS } from './diagnosis.ts';
import { alertId } from './ids.ts';
import { expire, type AlertState } from './lifecycle.ts';
import { withdrawal } from './provisional.ts';
import { cursorKey, type ModelState } from './state.ts';
import type { PerformanceWindow } from './window.ts';

/**
 * Alerts of a series that stopped getting windows. An alert is evaluated only when a window of its own
 * (model, version, source) arrives, so one left open on a version that was retired (replaced by a new one)
 * would stay open for ever. The clock is event time: the newest window end the model reached in the same
 * source over all its versions. Once that is more than `staleAfterMs` past the series' last window, the alert
 * resolves (a pending one is forgotten). A model that goes silent as a whole has no clock moving, so nothing
 * resolves; the same source keeps a performance series (which lags by the label delay) from being judged by
 * the drift windows' clock.
 */

export type Source = 'performance' | 'drift' | 'agreement';

/** The source whose windows evaluate each kind of alert (every other kind: drift). */
const SOURCE_OF_KIND: Partial<Record<AlertKind, Source>> = {
  PERFORMANCE: 'performance',
  SHADOW_AGREEMENT: 'agreement',
};

/** `24h`: how long a series may stay silent while its model moves on (DRIFTLINE_ALERTER_STALE_AFTER). */
export const DEFAULT_STALE_AFTER_MS = 24 * 3_600_000;

/** The source whose windows evaluate an alert of this kind. */
export function sourceOf(kind: AlertKind): Source {
  return SOURCE_OF_KIND[kind] ?? 'drift';
}

/** The model's event-time clock of one source: the newest window end evaluated over all its versions. */
export function clockOf(state: ModelState, source: Source): number | undefined {
  const ends = Object.entries(state.cursors)
    .filter(([key]) => key.endsWith(`|${source}`))
    .map(([, end]) => end);
  return ends.length === 0 ? undefined : Math.max(...ends);
}

export interface StaleSeries {
  /** The alert's key, `version|KIND|metric`. */
  key: string;
  version: string;
  kind: AlertKind;
  metric: string;
  source: Source;
  /** End of the series' last window. */
  lastMs: number;
  /** The model's newest window end in the same source. */
  clockMs: number;
  alert: AlertState;
}

/**
 * The decision: every live (pending or open) alert of `source` whose series' last window ended more than
 * `staleAfterMs` before the model's clock of that source. `staleAfterMs` 0 turns it off.
 */
export function staleSeries(state: ModelState, source: Source, staleAfterMs: number): StaleSeries[] {
  const clockMs = clockOf(state, source);
  if (staleAfterMs <= 0 || clockMs === undefined) return [];
  const out: StaleSeries[] = [];
  for (const [key, alert] of Object.entries(state.alerts)) {
    const [version = '', kind = '', ...rest] = key.split('|');
    if (alert.phase === 'inactive' || sourceOf(kind as AlertKind) !== source) continue;
    const lastMs = state.cursors[cursorKey(version, source)];
    if (lastMs === undefined || clockMs - lastMs <= staleAfterMs) continue;
    out.push({
      key,
      version,
      kind: kind as AlertKind,
      metric: rest.join('|'),
      source,
      lastMs,
      clockMs,
      alert,
    });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

const iso = (ms: number) => new Date(ms).toISOString();

/** `86400000` → `1d`, `5400000` → `90m`: the normal form of a duration (core windows/duration.ts). */
export const spanName = durationName;

/**
 * The RESOLVED event of a stale series. Its window is the silence: from the series' last window end to the
 * model's clock, so the id (a hash with the window start) is the same on every replay. Value and threshold
 * are those of the last window evaluated.
 */
export function staleResolvedEvent(
  modelId: string,
  s: StaleSeries,
  staleAfterMs: number,
  createdAt: number,
): Alert {
  const silentMs = s.clockMs - s.lastMs;
  const traffic =
    s.source === 'performance'
      ? 'the version stopped receiving traffic or labels'
      : 'the version stopped receiving traffic';
  const headline =
    `RESOLVED ${s.kind} ${s.metric} on ${modelId} ${s.version}: no ${s.source} windows for version ${s.version} ` +
    `since ${iso(s.lastMs)} while the model's reached ${iso(s.clockMs)} (more than ${spanName(staleAfterMs)}): ${traffic}`;
  const remedy =
    'none if the version was retired or replaced; otherwise check what routes traffic to it. It fires again if its windows return and still breach';
  return {
    alert_id: alertId(modelId, s.version, s.kind, s.metric, s.lastMs, 'RESOLVED'),
    model_id: modelId,
    model_version: s.version,
    kind: s.kind,
    severity: 'INFO',
    status: 'RESOLVED',
    window_start: s.lastMs,
    window_end: s.clockMs,
    metric: s.metric,
    value: s.alert.value ?? 0,
    threshold: s.alert.threshold ?? 0,
    message: `${headline}. Diagnosis operational: the series went silent. Remedy: ${remedy}.`,
    provisional: false,
    evidence: [
      evidence('no_windows', 'operational', 'silent_hours', silentMs / 3_600_000, {
        threshold: staleAfterMs / 3_600_000,
      }),
    ],
    diagnosis: 'operational',
    created_at: createdAt,
  };
}

/**
 * Applies the decision after a window of `source` moved the model's clock: the stale alerts leave the state,
 * the open ones with a RESOLVED event. Pure.
 */
export function expireStale(
  state: ModelState,
  source: Source,
  staleAfterMs: number,
  createdAt: number,
): { state: ModelState; alerts: Alert[] } {
  const stale = staleSeries(state, source, staleAfterMs);
  const orphans = staleProvisional(state, source, staleAfterMs, createdAt);
  if (stale.length === 0 && orphans.alerts.length === 0) return { state, alerts: [] };
  const alerts: Alert[] = [...orphans.alerts];
  const next = { ...state.alerts };
  for (const s of stale) {
    const [, notice] = expire(s.alert);
    delete next[s.key];
    if (notice.kind === 'resolved')
      alerts.push(staleResolvedEvent(state.modelId, s, staleAfterMs, createdAt));
  }
  return { state: { ...state, alerts: next, provisional: orphans.provisional }, alerts };
}

/**
 * Provisional alerts of a version whose performance windows stopped (retired or replaced) before the window
 * was final: withdrawn, naming the silence, so none stays unanswered.
 */
function staleProvisional(state: ModelState, source: Source, staleAfterMs: number, createdAt: number) {
  const clockMs = clockOf(state, source);
  const provisional = { ...state.provisional };
  const alerts: Alert[] = [];
  if (source !== 'performance' || staleAfterMs <= 0 || clockMs === undefined) return { provisional, alerts };
  for (const [key, p] of Object.entries(state.provisional)) {
    const version = key.split('|')[0] ?? '';
    const lastMs = Math.max(state.cursors[cursorKey(version, source)] ?? -Infinity, p.windowStartMs);
    if (clockMs - lastMs <= staleAfterMs) continue;
    const reason = `no performance windows for version ${version} since ${iso(lastMs)} while the model's reached ${iso(clockMs)} (more than ${spanName(staleAfterMs)}): its window never became final`;
    const at: PerformanceWindow = {
      source: 'performance',
      modelId: state.modelId,
      modelVersion: version,
      startMs: p.windowStartMs,
      endMs: clockMs,
      sampleCount: 0,
      metrics: {},
    };
    alerts.push(withdrawal(p, at, reason, NO_SIGNALS, createdAt));
    delete provisional[key];
  }
  return { provisional, alerts };
}
