import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../services/core/src/logger.ts';
import { evaluateAll, since, type LoopDeps } from '../../../services/alerter/src/loop.ts';
import { boundCondition } from '../../../services/alerter/src/read-bound.ts';
import { createAlerterMetrics } from '../../../services/alerter/src/metrics.ts';
import { parseRules } from '../../../services/alerter/src/rules/load.ts';
import { newModelState, type ModelState } from '../../../services/alerter/src/state.ts';
import { driftWindow, HOUR, perfWindow, RULES_FILE, SHARE_ONLY, T0 } from './helpers.ts';
import { readFileSync } from 'node:fs';

function deps(states = new Map<string, ModelState>()): LoopDeps {
  return {
    inputs: undefined as never,
    outputs: undefined as never,
    rules: parseRules(readFileSync(RULES_FILE, 'utf8'), 'rules.json', SHARE_ONLY),
    states,
    metrics: createAlerterMetrics(new Registry()),
    logger: createLogger('test', 'silent'),
    now: () => 42,
  };
}

describe('alerter round', () => {
  it('shouldReadFromTheOldestLiveCursorOfEachSource', () => {
    const a = { ...newModelState('a'), cursors: { '1|drift': T0 + 5 * HOUR, '1|performance': T0 } };
    const b = { ...newModelState('b'), cursors: { '1|drift': T0 + 2 * HOUR } };
    const retired = { ...newModelState('c'), cursors: { '1|drift': T0 - 30 * 24 * HOUR } };
    expect(since([a, b, retired], 'drift').sinceMs).toBe(T0 + 2 * HOUR);
    expect(since([a, b], 'performance').sinceMs).toBe(T0);
    expect(since([], 'drift')).toEqual({ sinceMs: 0, newSeriesSinceMs: 0, known: [] });
  });

  it('shouldReadSeriesNeverSeenFromTheLookBackNotFromTheOldestCursor', () => {
    const a = { ...newModelState("a'1"), cursors: { '1|drift': T0 + 5 * HOUR, '2|drift': T0 + 4 * HOUR } };
    const bound = since([a], 'drift');
    expect(bound).toEqual({
      sinceMs: T0 + 4 * HOUR,
      newSeriesSinceMs: T0 + 5 * HOUR - 7 * 24 * HOUR,
      known: [
        ["a'1", '1'],
        ["a'1", '2'],
      ],
    });
    // Known series from their cursor; any other (model, version) from the look-back; ids quoted.
    expect(boundCondition(bound, 'end_ms')).toBe(
      `(end_ms > ${T0 + 4 * HOUR} OR ((model_id, model_version) NOT IN (('a\\'1', '1'), ('a\\'1', '2'))` +
        ` AND end_ms > ${T0 + 5 * HOUR - 7 * 24 * HOUR}))`,
    );
    expect(boundCondition(since([], 'drift'), 'end_ms', 10)).toBe('end_ms > 0');
  });

  it('shouldEvaluateWindowsInOrderAndCollectOneOutboxPerModel', () => {
    const d = deps();
    // Given out of order: the round sorts by window end, drift before performance at equal ends.
    const windows = [perfWindow(2, 0.8), driftWindow(1, ['age']), perfWindow(0, 0.9), perfWindow(1, 0.8)];
    const [state, ...others] = evaluateAll(d, windows);
    expect(others).toEqual([]);
    expect(state!.cursors).toEqual({ '1|performance': T0 + 3 * HOUR, '1|drift': T0 + 2 * HOUR });
    expect(state!.outbox.alerts.map((a) => [a.kind, a.status, a.created_at])).toEqual([
      ['PERFORMANCE', 'FIRING', 42],
    ]);
    expect(state!.outbox.triggers).toHaveLength(1);
    // Nothing is adopted until the transaction commits.
    expect(d.states.size).toBe(0);
  });

  it('shouldChangeNothingWhenEveryWindowIsBehindItsCursor', () => {
    const d = deps();
    const [state] = evaluateAll(d, [perfWindow(0, 0.9), perfWindow(1, 0.8)]);
    d.states.set('m', state!);
    expect(evaluateAll(d, [perfWindow(0, 0.9), perfWindow(1, 0.8)])).toEqual([]);
  });
});
