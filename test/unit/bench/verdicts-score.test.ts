import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../services/core/src/records/records.generated.ts';
import type { Pipeline } from '../../../bench/verdicts/pipeline.ts';
import { START_MS, type ScenarioRun } from '../../../bench/verdicts/run-scenario.ts';
import { scenarios, WINDOW_MS } from '../../../bench/verdicts/scenarios.ts';
import { scoreRun } from '../../../bench/verdicts/score.ts';
import { goalLines, markdownTable } from '../../../bench/verdicts/table.ts';

const scenario = scenarios().find((s) => s.name === 'accuracy -10 points' && s.goal)!;
const changeMs = START_MS + scenario.changeFrom! * WINDOW_MS;

function alert(version: string, kind: Alert['kind'], windowStart: number, extra: Partial<Alert> = {}): Alert {
  return {
    alert_id: `${version}-${kind}-${windowStart}-${extra.status ?? 'FIRING'}`,
    model_id: 'churn',
    model_version: version,
    kind,
    severity: 'WARNING',
    status: 'FIRING',
    window_start: windowStart,
    window_end: windowStart + WINDOW_MS,
    metric: 'accuracy_drop_pct',
    value: 10,
    threshold: 2,
    message: 'WARNING PERFORMANCE',
    evidence: [],
    provisional: false,
    ...extra,
  };
}

function run(alerts: { event: Alert; atMs: number }[]): ScenarioRun {
  const pipeline = { config: { name: 'new' }, alerts, triggers: [], lateLabels: 0 } as unknown as Pipeline;
  const exposure = new Map([
    [changeMs + WINDOW_MS / 2, { predictions: 500, labels: 300 }],
    [changeMs + WINDOW_MS + WINDOW_MS / 2, { predictions: 1500, labels: 1400 }],
  ]);
  return { scenario, pipelines: [pipeline], exposure };
}

describe('verdict benchmark scoring', () => {
  it('shouldTakeTheFirstTrueAlertAsTheDetectionWithItsDelayInWindowsAndLabels', () => {
    const [score] = scoreRun(
      run([
        { event: alert('v2', 'PERFORMANCE', START_MS), atMs: START_MS + 2 * WINDOW_MS },
        { event: alert('v1', 'PERFORMANCE', changeMs), atMs: changeMs + WINDOW_MS / 2 },
        { event: alert('v1', 'CONCEPT_DRIFT', changeMs + WINDOW_MS), atMs: changeMs + 1.5 * WINDOW_MS },
      ]),
    );
    expect(score!.falseAlerts).toBe(1);
    expect(score!.falseByKind).toEqual({ PERFORMANCE: 1 });
    expect(score!.detection).toEqual({
      windows: 0,
      events: 300,
      unit: 'labeled',
      kind: 'PERFORMANCE',
      provisional: false,
    });
    // Three versions, minus the changed windows of the target.
    expect(score!.stationaryWindows).toBe(3 * scenario.windows - (scenario.windows - scenario.changeFrom!));
  });

  it('shouldCountAProvisionalAlertAndItsConfirmationOnceAndAResolutionNever', () => {
    const provisional = alert('v2', 'PERFORMANCE', START_MS, { provisional: true });
    const confirm = alert('v2', 'PERFORMANCE', START_MS, { message: 'confirms provisional alert a1' });
    const resolved = alert('v2', 'PERFORMANCE', START_MS + WINDOW_MS, { status: 'RESOLVED' });
    const [score] = scoreRun(
      run([
        { event: provisional, atMs: START_MS + WINDOW_MS / 2 },
        { event: confirm, atMs: START_MS + WINDOW_MS },
        { event: resolved, atMs: START_MS + 2 * WINDOW_MS },
      ]),
    );
    expect(score!.falseAlerts).toBe(1);
    expect(score!.detection).toBe('missed');
    // The RESOLVED came on a later window: a resolution, not a withdrawal.
    expect([score!.provisional, score!.withdrawn]).toEqual([1, 0]);
  });

  it('shouldCountAResolvedOnTheProvisionalAlertsOwnWindowAsAWithdrawal', () => {
    const provisional = alert('v1', 'PERFORMANCE', changeMs - WINDOW_MS, { provisional: true });
    const withdrawn = alert('v1', 'PERFORMANCE', changeMs - WINDOW_MS, { status: 'RESOLVED' });
    const [score] = scoreRun(
      run([
        { event: provisional, atMs: changeMs - WINDOW_MS / 2 },
        { event: withdrawn, atMs: changeMs },
      ]),
    );
    expect([score!.falseAlerts, score!.provisional, score!.withdrawn]).toEqual([1, 1, 1]);
  });

  it('shouldReportAMissAndAnUnmetGoalInTheTable', () => {
    const rows = [{ scenario, scores: scoreRun(run([])) }];
    expect(markdownTable(rows)).toContain(
      '| **accuracy -10 points** | 1,000 | 1-30 min | 0.0 (0) | **missed** |',
    );
    expect(goalLines(rows)[0]).toContain('NOT met: accuracy -10 points (1-30 min)');
  });
});
