import { describe, expect, it } from 'vitest';
import {
  INACTIVE,
  InvalidTransitionError,
  step,
  VALID_TRANSITIONS,
  type AlertState,
  type Notice,
  type Verdict,
} from '../../../services/alerter/src/lifecycle.ts';

const options = { forWindows: 2, resolveWindows: 2, renotifyAfterMs: 10 };
const warn: Verdict = { level: 'breach', severity: 'WARNING' };
const crit: Verdict = { level: 'breach', severity: 'CRITICAL' };
const ok: Verdict = { level: 'ok' };
const clear: Verdict = { level: 'clear' };

/** Runs verdicts through the lifecycle (one per time unit) and returns the notices that were not 'none'. */
function run(verdicts: Verdict[], o = options): { notices: (Notice & { at: number })[]; state: AlertState } {
  let state = INACTIVE;
  const notices: (Notice & { at: number })[] = [];
  verdicts.forEach((v, at) => {
    const [next, notice] = step(state, v, o, at);
    state = notice.kind === 'firing' ? { ...next, notifiedAtMs: at } : next;
    if (notice.kind !== 'none') notices.push({ ...notice, at });
  });
  return { notices, state };
}

describe('alert lifecycle', () => {
  it('shouldFireOnlyAfterTheConfiguredNumberOfBreachingWindows', () => {
    expect(run([warn]).notices).toEqual([]);
    expect(run([warn, warn]).notices).toEqual([
      { kind: 'firing', reason: 'opened', severity: 'WARNING', at: 1 },
    ]);
  });

  it('shouldNotFireWhenTheBreachIsInterrupted', () => {
    expect(run([warn, clear, warn, ok, warn]).notices).toEqual([]);
  });

  it('shouldFireOnceAndStayQuietWhileTheConditionHolds', () => {
    expect(run([warn, warn, warn, warn, warn]).notices).toHaveLength(1);
  });

  it('shouldResolveOnlyAfterConsecutiveClearWindowsWhenValuesHoverInTheHysteresisBand', () => {
    const { notices, state } = run([warn, warn, ok, ok, clear, ok, clear, clear]);
    expect(notices.map((n) => [n.kind, n.at])).toEqual([
      ['firing', 1],
      ['resolved', 7],
    ]);
    expect(state).toEqual(INACTIVE);
  });

  it('shouldGoBackToFiringWithoutANewEventWhenABreachInterruptsResolving', () => {
    const { notices } = run([warn, warn, clear, warn, clear, clear]);
    expect(notices.map((n) => n.kind)).toEqual(['firing', 'resolved']);
  });

  it('shouldEscalateOnceWhenTheSeverityRises', () => {
    const { notices } = run([warn, warn, crit, crit, warn]);
    expect(notices.map((n) => (n.kind === 'firing' ? n.reason : n.kind))).toEqual(['opened', 'escalated']);
  });

  it('shouldOpenWithTheWorstSeveritySeenWhilePending', () => {
    expect(run([crit, warn]).notices).toEqual([
      { kind: 'firing', reason: 'opened', severity: 'CRITICAL', at: 1 },
    ]);
  });

  it('shouldRenotifyAfterTheIntervalWhileStillBreaching', () => {
    const verdicts = Array.from({ length: 25 }, () => warn);
    const { notices } = run(verdicts);
    expect(notices.map((n) => [n.kind === 'firing' ? n.reason : n.kind, n.at])).toEqual([
      ['opened', 1],
      ['renotify', 11],
      ['renotify', 21],
    ]);
  });

  it('shouldFireAtOnceWhenOneWindowIsEnough', () => {
    expect(run([crit], { ...options, forWindows: 1 }).notices).toHaveLength(1);
  });

  it('shouldOnlyTakeTransitionsFromTheTableWhateverTheVerdicts', () => {
    // A seeded walk over every verdict: step() checks each move against VALID_TRANSITIONS and would throw.
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const verdicts = [warn, crit, ok, clear];
    const walk = { forWindows: 3, resolveWindows: 3, renotifyAfterMs: 10 };
    const seen = new Set<string>();
    let state = INACTIVE;
    for (let i = 0; i < 5000; i++) {
      const [next] = step(state, verdicts[Math.floor(random() * 4)]!, walk, i);
      seen.add(`${state.phase}>${next.phase}`);
      state = next;
    }
    const table = Object.entries(VALID_TRANSITIONS).flatMap(([from, to]) => to.map((t) => `${from}>${t}`));
    expect([...seen].every((t) => table.includes(t))).toBe(true);
    // inactive>firing needs forWindows 1, firing>inactive resolveWindows 1: the walk takes every other entry.
    expect(table.filter((t) => !seen.has(t)).sort()).toEqual(['firing>inactive', 'inactive>firing']);
    expect(new InvalidTransitionError('inactive', 'resolving').message).toBe(
      'alert lifecycle cannot go from inactive to resolving; valid: inactive, pending, firing',
    );
  });
});
