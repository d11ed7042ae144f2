import { DriftlineError } from '../../core/src/errors.ts';
import type { Severity } from '../../core/src/records/records.generated.ts';

/**
 * The life of one alert (model, version, kind, metric), advanced once per evaluated window. Pure: the
 * state goes in, the next state and the events to publish come out.
 *
 *   inactive ──breach──► pending ──N breaching windows──► firing ──clear──► resolving ──M clear──► inactive
 *                                                          ▲                     │
 *                                                          └──────breach─────────┘
 */
export type Phase = 'inactive' | 'pending' | 'firing' | 'resolving';

/** Which phase may follow which: a table rather than branches, so a bad transition is a loud error. */
export const VALID_TRANSITIONS: Readonly<Record<Phase, readonly Phase[]>> = {
  inactive: ['inactive', 'pending', 'firing'],
  pending: ['inactive', 'pending', 'firing'],
  firing: ['firing', 'resolving', 'inactive'],
  resolving: ['resolving', 'firing', 'inactive'],
};

/** What a rule says about one window. `ok` lies in the hysteresis band: neither breach nor clear. */
export type Verdict = { level: 'breach'; severity: Exclude<Severity, 'INFO'> } | { level: 'ok' | 'clear' };

export interface AlertState {
  phase: Phase;
  /** Consecutive breaching windows (pending), or consecutive clear windows (resolving). */
  streak: number;
  severity: Exclude<Severity, 'INFO'>;
  /** Window end of the last FIRING notification (event time). */
  notifiedAtMs: number;
  /** alert_id of the FIRING event that opened the alert. */
  openedBy: string;
  /** The metric's value and the threshold at the last window evaluated: what a RESOLVED without a window reports. */
  value?: number;
  threshold?: number;
  /** Consecutive final windows that breached, up to the last one evaluated (a retrain needs a confirmed run). */
  breaches?: number;
}

export const INACTIVE: AlertState = {
  phase: 'inactive',
  streak: 0,
  severity: 'WARNING',
  notifiedAtMs: 0,
  openedBy: '',
};

export interface LifecycleOptions {
  forWindows: number;
  resolveWindows: number;
  renotifyAfterMs: number;
}

/** What to publish for this window: nothing, a FIRING (new, escalated or repeated) or a RESOLVED. */
export type Notice =
  | { kind: 'none' }
  | { kind: 'firing'; reason: 'opened' | 'escalated' | 'renotify'; severity: Exclude<Severity, 'INFO'> }
  | { kind: 'resolved' };

export class InvalidTransitionError extends DriftlineError {
  constructor(from: Phase, to: Phase) {
    super(`alert lifecycle cannot go from ${from} to ${to}; valid: ${VALID_TRANSITIONS[from].join(', ')}`);
  }
}

const RANK = { WARNING: 1, CRITICAL: 2 } as const;

function move(from: AlertState, to: AlertState): AlertState {
  if (!VALID_TRANSITIONS[from.phase].includes(to.phase))
    throw new InvalidTransitionError(from.phase, to.phase);
  return to;
}

function whileQuiet(s: AlertState, v: Verdict, o: LifecycleOptions): [AlertState, Notice] {
  if (v.level !== 'breach') return [INACTIVE, { kind: 'none' }];
  const streak = s.phase === 'pending' ? s.streak + 1 : 1;
  const severity = s.phase === 'pending' && RANK[s.severity] > RANK[v.severity] ? s.severity : v.severity;
  if (streak < o.forWindows) return [{ ...s, phase: 'pending', streak, severity }, { kind: 'none' }];
  return [
    { phase: 'firing', streak: 0, severity, notifiedAtMs: 0, openedBy: '' },
    { kind: 'firing', reason: 'opened', severity },
  ];
}

function whileOpen(s: AlertState, v: Verdict, o: LifecycleOptions, nowMs: number): [AlertState, Notice] {
  if (v.level === 'clear') {
    const streak = s.phase === 'resolving' ? s.streak + 1 : 1;
    if (streak >= o.resolveWindows) return [INACTIVE, { kind: 'resolved' }];
    return [{ ...s, phase: 'resolving', streak }, { kind: 'none' }];
  }
  const open = { ...s, phase: 'firing' as const, streak: 0 };
  if (v.level === 'breach' && RANK[v.severity] > RANK[s.severity]) {
    return [
      { ...open, severity: v.severity },
      { kind: 'firing', reason: 'escalated', severity: v.severity },
    ];
  }
  if (v.level === 'breach' && nowMs - s.notifiedAtMs >= o.renotifyAfterMs) {
    return [open, { kind: 'firing', reason: 'renotify', severity: s.severity }];
  }
  return [open, { kind: 'none' }];
}

/**
 * Advances an alert by one window.
 * @param nowMs - the window end (event time), the clock of re-notification.
 * @returns the next state (its `notifiedAtMs`/`openedBy` are set by the caller when it publishes) and the notice.
 * @example step(INACTIVE, {level:'breach', severity:'WARNING'}, {forWindows:1, resolveWindows:1, renotifyAfterMs:1}, 0)[1] // {kind:'firing', reason:'opened', severity:'WARNING'}
 */
export function step(s: AlertState, v: Verdict, o: LifecycleOptions, nowMs: number): [AlertState, Notice] {
  const [next, notice] =
    s.phase === 'inactive' || s.phase === 'pending' ? whileQuiet(s, v, o) : whileOpen(s, v, o, nowMs);
  return [move(s, next), notice];
}

/**
 * Ends an alert whose series stopped getting windows (see stale.ts): an open alert resolves, a pending one is
 * forgotten without a word, an inactive one stays. Not a window step: no verdict, no hysteresis.
 */
export function expire(s: AlertState): [AlertState, Notice] {
  const notice: Notice =
    s.phase === 'firing' || s.phase === 'resolving' ? { kind: 'resolved' } : { kind: 'none' };
  return [move(s, INACTIVE), notice];
}
