import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { expire, INACTIVE, type AlertState } from '../../../services/alerter/src/lifecycle.ts';
import { evaluateAll, type LoopDeps } from '../../../services/alerter/src/loop.ts';
import { createAlerterMetrics } from '../../../services/alerter/src/metrics.ts';
import { parseRules } from '../../../services/alerter/src/rules/load.ts';
import { ALERTER_SETTINGS } from '../../../services/alerter/src/settings.ts';
import { clockOf, expireStale, spanName, staleSeries } from '../../../services/alerter/src/stale.ts';
import { newModelState, type ModelState } from '../../../services/alerter/src/state.ts';
import { loadSettings } from '../../../services/core/src/config/load.ts';
import { createLogger } from '../../../services/core/src/logger.ts';
import { driftWindow, HOUR, perfWindow, RULES_FILE, SHARE_ONLY, T0 } from './helpers.ts';

const firing: AlertState = {
  phase: 'firing',
  streak: 0,
  severity: 'WARNING',
  notifiedAtMs: T0 + 3 * HOUR,
  openedBy: 'a1',
  value: 0.5,
  threshold: 0.3,
};

/** Model m: version 1 last drift window ended at T0+3h, version 2's at `v2End`. */
function stateWith(v2End: number, alerts: Record<string, AlertState> = {}): ModelState {
  return {
    ...newModelState('m'),
    cursors: {
      '1|drift': T0 + 3 * HOUR,
      '1|detections': 99_999_999_999_999, // an offset, not a time: never part of the clock
      '2|drift': v2End,
      '2|performance': T0 + 40 * HOUR,
      '1|performance': T0 + 40 * HOUR,
    },
    alerts: { '1|DATA_DRIFT|share_drifted': firing, ...alerts },
  };
}

describe('stale series', () => {
  it('shouldTakeTheClockFromTheNewestWindowEndOfTheSameSourceOnly', () => {
    const s = stateWith(T0 + 7 * HOUR);
    expect(clockOf(s, 'drift')).toBe(T0 + 7 * HOUR);
    expect(clockOf(s, 'performance')).toBe(T0 + 40 * HOUR);
    expect(clockOf(newModelState('m'), 'drift')).toBeUndefined();
  });

  it('shouldCallASeriesStaleOnlyWhenTheModelMovedOnByMoreThanTheSpan', () => {
    expect(staleSeries(stateWith(T0 + 6 * HOUR), 'drift', 3 * HOUR)).toEqual([]); // exactly the span
    const [stale, ...more] = staleSeries(stateWith(T0 + 7 * HOUR), 'drift', 3 * HOUR);
    expect(more).toEqual([]);
    expect(stale).toMatchObject({
      key: '1|DATA_DRIFT|share_drifted',
      version: '1',
      kind: 'DATA_DRIFT',
      metric: 'share_drifted',
      lastMs: T0 + 3 * HOUR,
      clockMs: T0 + 7 * HOUR,
    });
    // 0 turns it off; a performance alert is not judged by the drift windows' clock.
    expect(staleSeries(stateWith(T0 + 70 * HOUR), 'drift', 0)).toEqual([]);
    expect(staleSeries(stateWith(T0 + 70 * HOUR), 'performance', 3 * HOUR)).toEqual([]);
  });

  it('shouldResolveTheOpenAlertOnceNamingTheSilenceAndLeaveTheLiveVersionAlone', () => {
    const live = { '2|DATA_DRIFT|share_drifted': { ...firing, openedBy: 'a2' } };
    const before = stateWith(T0 + 7 * HOUR, live);
    const { state, alerts } = expireStale(before, 'drift', 3 * HOUR, 42);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      model_id: 'm',
      model_version: '1',
      kind: 'DATA_DRIFT',
      metric: 'share_drifted',
      status: 'RESOLVED',
      severity: 'INFO',
      window_start: T0 + 3 * HOUR,
      window_end: T0 + 7 * HOUR,
      value: 0.5,
      threshold: 0.3,
      diagnosis: 'operational',
      created_at: 42,
    });
    expect(alerts[0]!.message).toContain(
      "no drift windows for version 1 since 2026-02-01T03:00:00.000Z while the model's reached 2026-02-01T07:00:00.000Z (more than 3h): the version stopped receiving traffic",
    );
    expect(alerts[0]!.evidence).toEqual([
      {
        subject: 'no_windows',
        subject_type: 'operational',
        method: 'silent_hours',
        score: 4,
        p_value: null,
        threshold: 3,
      },
    ]);
    expect(state.alerts).toEqual(live);
    // Applied again (a replay, the next window): nothing more, and the same id as before.
    expect(expireStale(state, 'drift', 3 * HOUR, 43)).toEqual({ state, alerts: [] });
    expect(expireStale(before, 'drift', 3 * HOUR, 99).alerts[0]!.alert_id).toBe(alerts[0]!.alert_id);
  });

  it('shouldForgetAPendingAlertWithoutAnEvent', () => {
    const pending = { ...INACTIVE, phase: 'pending' as const, streak: 1 };
    const before = { ...stateWith(T0 + 7 * HOUR), alerts: { '1|LATENCY|p95_ms': pending } };
    const { state, alerts } = expireStale(before, 'drift', 3 * HOUR, 42);
    expect(alerts).toEqual([]);
    expect(state.alerts).toEqual({});
  });

  it('shouldEndEveryPhaseThroughTheLifecycleTable', () => {
    expect(expire(firing)).toEqual([INACTIVE, { kind: 'resolved' }]);
    expect(expire({ ...firing, phase: 'resolving', streak: 1 })).toEqual([INACTIVE, { kind: 'resolved' }]);
    expect(expire({ ...INACTIVE, phase: 'pending', streak: 1 })).toEqual([INACTIVE, { kind: 'none' }]);
    expect(expire(INACTIVE)).toEqual([INACTIVE, { kind: 'none' }]);
  });

  it('shouldNameSpansInTheLargestWholeUnit', () => {
    expect(spanName(24 * HOUR)).toBe('1d');
    expect(spanName(3 * HOUR)).toBe('3h');
    expect(spanName(90 * 60_000)).toBe('90m');
    expect(spanName(1500)).toBe('1500ms');
  });

  it('shouldReadTheSpanFromDriftlineAlerterStaleAfterAndNameItWhenBad', () => {
    expect(loadSettings(ALERTER_SETTINGS, {}).staleAfter).toBe(24 * HOUR);
    expect(loadSettings(ALERTER_SETTINGS, { DRIFTLINE_ALERTER_STALE_AFTER: '0s' }).staleAfter).toBe(0);
    expect(() => loadSettings(ALERTER_SETTINGS, { DRIFTLINE_ALERTER_STALE_AFTER: 'a day' })).toThrow(
      /DRIFTLINE_ALERTER_STALE_AFTER.*expected a duration/,
    );
  });
});

describe('stale series in a round', () => {
  const deps = (staleAfterMs?: number): LoopDeps => ({
    inputs: undefined as never,
    outputs: undefined as never,
    rules: parseRules(readFileSync(RULES_FILE, 'utf8'), 'rules.json', SHARE_ONLY),
    states: new Map(),
    metrics: createAlerterMetrics(new Registry()),
    logger: createLogger('test', 'silent'),
    now: () => 42,
    ...(staleAfterMs === undefined ? {} : { staleAfterMs }),
  });
  const v = (version: string, w: ReturnType<typeof driftWindow>) => ({ ...w, modelVersion: version });
  /** Both versions drift in windows 0-2 (both fire), then only version 2 gets windows, up to `last`. */
  const rollout = (last: number) => [
    ...[[], ['age', 'income'], ['age', 'income']].flatMap((d, i) => [
      v('1', driftWindow(i, d)),
      v('2', driftWindow(i, d)),
    ]),
    ...Array.from({ length: last - 2 }, (_, i) => v('2', driftWindow(i + 3, ['age', 'income']))),
  ];
  const summary = (s: ModelState | undefined) =>
    s!.outbox.alerts.map((a) => [a.model_version, a.status, a.window_start, a.window_end]);

  it('shouldResolveTheRetiredVersionAtTheFirstWindowPastTheSpanWhateverTheRounds', () => {
    const [state] = evaluateAll(deps(3 * HOUR), rollout(8));
    expect(summary(state)).toEqual([
      ['1', 'FIRING', T0 + 2 * HOUR, T0 + 3 * HOUR],
      ['2', 'FIRING', T0 + 2 * HOUR, T0 + 3 * HOUR],
      ['1', 'RESOLVED', T0 + 3 * HOUR, T0 + 7 * HOUR], // the v2 window ending at T0+7h: 4h > 3h
    ]);
    expect(Object.keys(state!.alerts)).toEqual(['2|DATA_DRIFT|share_drifted']);
    // One window per round decides the same.
    const d = deps(3 * HOUR);
    const events = rollout(8).flatMap((w) => {
      const [s] = evaluateAll(d, [w]);
      if (s) d.states.set('m', s);
      return s?.outbox.alerts ?? [];
    });
    expect(events).toEqual(state!.outbox.alerts);
  });

  it('shouldResolveNothingBeforeTheDefaultDayOrWhenTheWholeModelGoesSilent', () => {
    const v1 = (s: ModelState | undefined) => summary(s).filter((a) => a[0] === '1');
    expect(v1(evaluateAll(deps(), rollout(26))[0])).toEqual([['1', 'FIRING', T0 + 2 * HOUR, T0 + 3 * HOUR]]);
    expect(v1(evaluateAll(deps(), rollout(27))[0])).toEqual([
      ['1', 'FIRING', T0 + 2 * HOUR, T0 + 3 * HOUR],
      ['1', 'RESOLVED', T0 + 3 * HOUR, T0 + 28 * HOUR],
    ]);
    // Neither version gets windows any more: no clock moves, both stay open.
    const silent = evaluateAll(deps(3 * HOUR), rollout(2));
    expect(Object.keys(silent[0]!.alerts).sort()).toEqual([
      '1|DATA_DRIFT|share_drifted',
      '2|DATA_DRIFT|share_drifted',
    ]);
  });

  it('shouldNotJudgeAPerformanceSeriesByTheDriftClock', () => {
    const perf = [0.9, 0.8, 0.8].map((acc, i) => perfWindow(i, acc));
    const drift = Array.from({ length: 10 }, (_, i) => v('2', driftWindow(i, [])));
    const d = deps(3 * HOUR);
    const [first] = evaluateAll(d, [...perf, ...drift]);
    expect(first!.outbox.alerts.map((a) => [a.kind, a.status])).toEqual([['PERFORMANCE', 'FIRING']]);
    d.states.set('m', first!);
    // Labels lag: the drift clock is at T0+10h, the performance clock only reaches T0+4h (1h past version 1's).
    const [next] = evaluateAll(d, [{ ...perfWindow(3, 0.9), modelVersion: '2' }]);
    expect(next!.outbox.alerts).toEqual([]);
    expect(next!.alerts['1|PERFORMANCE|accuracy_drop_pct']).toMatchObject({ phase: 'firing' });
  });
});
