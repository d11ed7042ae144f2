import { Registry } from 'prom-client';
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../services/core/src/logger.ts';
import { startLoop, type LoopDeps } from '../../../services/alerter/src/loop.ts';
import type { WriteMarks } from '../../../services/alerter/src/write-marks.ts';
import { createAlerterMetrics } from '../../../services/alerter/src/metrics.ts';
import { parseRules } from '../../../services/alerter/src/rules/load.ts';
import { RULES_FILE } from './helpers.ts';

/**
 * A ClickHouse with no windows that counts the rounds (each round reads performance_metrics once); the first
 * `failing` reads of it fail as a server away would.
 */
function quietDeps(failing = 0): { d: LoopDeps; rounds: () => number } {
  let rounds = 0;
  const clickhouse = {
    query: async ({ query }: { query: string }) => {
      if (query.includes('performance_metrics FINAL') && query.includes('isFinite(value)')) {
        if (failing-- > 0) throw new Error('ECONNREFUSED');
        rounds++;
      }
      return { json: async () => [] };
    },
  };
  const d: LoopDeps = {
    inputs: {
      clickhouse: clickhouse as never,
      database: 'db',
      admin: undefined as never,
      performanceWindow: '1h',
      percentiles: [],
      deadLetterTopic: 'dl',
      inputTopics: [],
    },
    outputs: undefined as never,
    rules: parseRules(readFileSync(RULES_FILE, 'utf8'), 'rules.json'),
    states: new Map(),
    metrics: createAlerterMetrics(new Registry()),
    logger: createLogger('test', 'silent'),
  };
  return { d, rounds: () => rounds };
}

const HOUR = 3_600_000;
const marks = (closedWindows: string, anyTable = closedWindows): WriteMarks => ({ closedWindows, anyTable });

describe('alerter round schedule', () => {
  it('shouldStartARoundAtOnceWhenTheClosedWindowsMarkChangesBetweenPolls', async () => {
    const { d, rounds } = quietDeps();
    let mark = marks('drift_metrics:1');
    let looks = 0;
    const read = async () => (looks++, mark);
    const stop = startLoop(d, HOUR, () => undefined, { read, everyMs: 1 });
    await vi.waitFor(() => expect(looks).toBeGreaterThan(5));
    expect(rounds()).toBe(1); // the mark did not change: no round before the hour's poll
    mark = marks('drift_metrics:2');
    await vi.waitFor(() => expect(rounds()).toBe(2));
    const after = looks;
    await vi.waitFor(() => expect(looks).toBeGreaterThan(after + 5));
    expect(rounds()).toBe(2); // the new mark was taken by that round
    await stop();
  });

  it('shouldSkipThePollsRoundWhenNoTableWasWrittenSinceTheLastRound', async () => {
    const { d, rounds } = quietDeps();
    let mark = marks('drift_metrics:1', 'drift_metrics:1,inference_log:7');
    let looks = 0;
    const read = async () => (looks++, mark);
    const stop = startLoop(d, 1, () => undefined, { read, everyMs: 1 });
    await vi.waitFor(() => expect(looks).toBeGreaterThan(10));
    expect(rounds()).toBe(1); // polls every ms, and nothing was written: no round after the first
    mark = marks('drift_metrics:1', 'drift_metrics:1,inference_log:8');
    await vi.waitFor(() => expect(rounds()).toBe(2));
    const after = looks;
    await vi.waitFor(() => expect(looks).toBeGreaterThan(after + 10));
    expect(rounds()).toBe(2);
    await stop();
  });

  it('shouldRunThePollsRoundWhenTheLastRoundFailedThoughNothingWasWritten', async () => {
    const { d, rounds } = quietDeps(2);
    let looks = 0;
    const read = async () => (looks++, marks('drift_metrics:1', 'drift_metrics:1,inference_log:7'));
    const stop = startLoop(d, 1, () => undefined, { read, everyMs: 1 });
    await vi.waitFor(() => expect(rounds()).toBe(1)); // two failed rounds, then one that succeeded
    const after = looks;
    await vi.waitFor(() => expect(looks).toBeGreaterThan(after + 10));
    expect(rounds()).toBe(1);
    await stop();
  });

  it('shouldLeaveRoundsToThePollWhenTheMarkCannotBeRead', async () => {
    const { d, rounds } = quietDeps();
    let looks = 0;
    const read = async (): Promise<WriteMarks> => {
      looks++;
      throw new Error('clickhouse away');
    };
    const stop = startLoop(d, HOUR, () => undefined, { read, everyMs: 1 });
    await vi.waitFor(() => expect(looks).toBeGreaterThan(5));
    expect(rounds()).toBe(1);
    await stop();
  });

  it('shouldPollOnTheTimerWithoutAMark', async () => {
    const { d, rounds } = quietDeps();
    const stop = startLoop(d, 1, () => undefined);
    await vi.waitFor(() => expect(rounds()).toBeGreaterThan(3));
    await stop();
    const stopped = rounds();
    await new Promise((r) => setTimeout(r, 20));
    expect(rounds()).toBe(stopped);
  });
});
