import { describe, expect, it } from 'vitest';
import { demoTraffic, DEMO_PHASES, WINDOW_MS } from '../../../services/simulator/src/demo-scenario.ts';
import { demoTruth, demoVerdictLines, type DemoAlert } from '../../../services/simulator/src/demo-truth.ts';

const START = Date.UTC(2026, 0, 5, 12);
// Ten predictions per window are enough to get the spans; the truth does not depend on the traffic's size.
const { spans } = demoTraffic(START, 10, 'run');
const [normal, drift, concept, tail] = spans;

function alert(o: Partial<DemoAlert>): DemoAlert {
  return {
    alert_id: Math.random().toString(36),
    model_id: 'churn',
    model_version: 'v1',
    kind: 'DATA_DRIFT',
    metric: 'share_drifted',
    status: 'FIRING',
    provisional: false,
    message: 'WARNING DATA_DRIFT',
    window_start: drift!.fromMs,
    window_end: drift!.fromMs + WINDOW_MS,
    evidence: [{ subject: 'x2', subject_type: 'feature', method: 'ks', score: 0.3 }],
    ...o,
  };
}

describe('demo truth', () => {
  it('shouldSpanEveryPhaseBackToBack', () => {
    expect(spans.map((s) => s.phase)).toEqual(DEMO_PHASES);
    expect(normal!.fromMs).toBe(START);
    spans.slice(1).forEach((s, i) => expect(s.fromMs).toBe(spans[i]!.toMs));
  });

  it('shouldKnowTheShiftedFeaturesAndTheWorseModelOfBothChurnVersions', () => {
    const truth = demoTruth(spans);
    const data = truth.filter((c) => c.detectedBy.includes('DATA_DRIFT'));
    expect(data.map((c) => c.modelVersion)).toEqual(['v1', 'v2']);
    expect(data[0]).toMatchObject({ fromMs: drift!.fromMs, toMs: drift!.toMs });
    expect(data[0]!.features).toEqual(['x0', 'x1', 'x2', 'x3', 'x4', 'x5']);
    const worse = truth.filter((c) => c.detectedBy.includes('PERFORMANCE'));
    expect(worse.map((c) => [c.modelVersion, c.fromMs, c.toMs])).toEqual([
      ['v1', concept!.fromMs, concept!.toMs],
      ['v2', concept!.fromMs, concept!.toMs],
    ]);
    expect(truth.some((c) => c.modelId === 'price')).toBe(false);
  });

  it('shouldPrintPerPhaseWhatThePipelineSaidAndCountTrueAndFalseAlerts', () => {
    const provisional = alert({
      kind: 'PERFORMANCE',
      metric: 'accuracy_drop_pct',
      provisional: true,
      window_start: concept!.fromMs,
      window_end: concept!.fromMs + WINDOW_MS,
      evidence: [],
    });
    const alerts = [
      alert({ window_start: normal!.fromMs, window_end: normal!.fromMs + WINDOW_MS }),
      alert({}),
      alert({
        metric: 'feature:x9',
        evidence: [{ subject: 'x9', subject_type: 'feature', method: 'ks', score: 1 }],
      }),
      provisional,
      { ...provisional, provisional: false, message: `confirms provisional alert ${provisional.alert_id}` },
      // A detector fires on label time: the concept phase's last labels land in the tail's first window.
      alert({
        kind: 'CONCEPT_DRIFT',
        metric: 'error_stream',
        window_start: tail!.fromMs,
        window_end: tail!.fromMs + WINDOW_MS,
        evidence: [],
      }),
    ];
    const triggers = [
      {
        model_id: 'churn',
        model_version: 'v1',
        reasons: ['critical_performance_drop'],
        triggered_at: concept!.fromMs + 2 * WINDOW_MS,
      },
    ];
    const lines = demoVerdictLines(spans, alerts, triggers, WINDOW_MS);
    expect(lines[1]).toMatch(/normal traffic: 1 DATA_DRIFT naming x2; 0 retrain triggers$/);
    expect(lines[2]).toMatch(/data drift.*: 2 DATA_DRIFT naming x2, x9; 0 retrain triggers$/);
    expect(lines[3]).toMatch(
      /concept shift.*: PERFORMANCE 1 provisional \(1 confirmed, 0 withdrawn\), 0 more on final windows; 1 retrain triggers$/,
    );
    expect(lines).toContain('alerts: 3 true, 2 false');
    expect(lines.filter((l) => l.startsWith('  false: '))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('  missed: '))).toEqual([
      '  missed: data drift: 6 of 11 features shift by 1.5 sd on churn/v2 (DATA_DRIFT)',
      '  missed: concept shift: inputs normal again, the model is wrong 40% of the time on churn/v2 (PERFORMANCE or CONCEPT_DRIFT)',
    ]);
    expect(lines[lines.length - 1]).toBe('retrain triggers: 1 true, 0 false, 0 scheduled (age, new labels)');
  });
});
