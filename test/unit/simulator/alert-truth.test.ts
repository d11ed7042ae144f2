import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../services/core/src/records/records.generated.ts';
import {
  classifyAlert,
  classifyTrigger,
  namedFeatures,
  tallyTruth,
  type GradedAlert,
  type TrueChange,
} from '../../../services/simulator/src/alert-truth.ts';

const H = 3_600_000;
const feature = (subject: string, score = 0.2): Evidence => ({
  subject,
  subject_type: 'feature',
  method: 'ks',
  score,
  p_value: 1e-6,
  threshold: 0.05,
});

const shift: TrueChange = {
  modelId: 'churn',
  modelVersion: 'v1',
  fromMs: 10 * H,
  toMs: 16 * H,
  detectedBy: ['DATA_DRIFT'],
  features: ['x3'],
  label: 'x3 mean +0.5 sd',
};
const drop: TrueChange = {
  ...shift,
  detectedBy: ['PERFORMANCE', 'CONCEPT_DRIFT'],
  features: [],
  label: 'accuracy -10 points',
};

function alert(overrides: Partial<GradedAlert>): GradedAlert {
  return {
    model_id: 'churn',
    model_version: 'v1',
    kind: 'DATA_DRIFT',
    metric: 'share_drifted',
    window_start: 10 * H,
    window_end: 11 * H,
    evidence: [feature('x3')],
    ...overrides,
  };
}

describe('classifyAlert', () => {
  it('shouldBeTrueWhenADataDriftAlertNamesTheShiftedFeatureInAChangedWindow', () => {
    expect(classifyAlert(alert({}), [shift])).toEqual({ truth: 'true', change: shift });
  });

  it('shouldBeFalseWhenTheWindowIsStationary', () => {
    const v = classifyAlert(alert({ window_start: 9 * H, window_end: 10 * H }), [shift]);
    expect(v).toEqual({ truth: 'false', reason: 'stationary: nothing changed in this window' });
  });

  it('shouldBeFalseWhenAnotherVersionAlerts', () => {
    expect(classifyAlert(alert({ model_version: 'v2' }), [shift]).truth).toBe('false');
  });

  it('shouldBeTrueWhenTheWindowOnlyPartlyOverlapsTheChange', () => {
    const v = classifyAlert(alert({ window_start: 9.5 * H, window_end: 10.5 * H }), [shift]);
    expect(v.truth).toBe('true');
  });

  it('shouldBeFalseWhenTheKindDoesNotReportTheChange', () => {
    const v = classifyAlert(alert({ kind: 'PERFORMANCE', metric: 'accuracy_drop_pct' }), [shift]);
    expect(v).toEqual({ truth: 'false', reason: 'PERFORMANCE does not report x3 mean +0.5 sd' });
  });

  it('shouldBeTrueWhenAPerformanceOrConceptAlertComesDuringAnAccuracyDrop', () => {
    expect(classifyAlert(alert({ kind: 'PERFORMANCE', evidence: [] }), [drop]).truth).toBe('true');
    expect(classifyAlert(alert({ kind: 'CONCEPT_DRIFT', evidence: [] }), [drop]).truth).toBe('true');
  });

  it('shouldBeFalseWhenAPerFeatureAlertNamesAnUnshiftedFeatureWhateverItsContext', () => {
    // The alert is about x5 (its metric); x3 is only context from the same window.
    const a = alert({ metric: 'feature:x5', evidence: [feature('x5'), feature('x3', 0.4)] });
    expect(namedFeatures(a)).toEqual(['x5']);
    const v = classifyAlert(a, [shift]);
    expect(v).toEqual({ truth: 'false', reason: 'names x5, not a shifted one (x3)' });
  });

  it('shouldReadEveryFeatureOfAShareAlert', () => {
    const a = alert({ evidence: [feature('x5'), feature('x3')] });
    expect(namedFeatures(a)).toEqual(['x5', 'x3']);
    expect(classifyAlert(a, [shift]).truth).toBe('true');
  });

  it('shouldNotTakeAFeatureWhoseNameIsOnlyPartOfTheMetric', () => {
    const a = alert({ metric: 'feature:x30', evidence: [feature('x30'), feature('x3')] });
    expect(namedFeatures(a)).toEqual(['x30']);
  });
});

describe('classifyTrigger', () => {
  const t = { model_id: 'churn', model_version: 'v1', triggered_at: 12 * H };

  it('shouldBeScheduledWhenOnlyThePolicyScheduleAskedForIt', () => {
    expect(classifyTrigger({ ...t, reasons: ['max_age', 'new_labeled_samples'] }, [drop], H)).toBe(
      'scheduled',
    );
  });

  it('shouldBeTrueWhenItsWindowHoldsTheChangeAndFalseBeforeIt', () => {
    const reasons = ['critical_performance_drop'];
    expect(classifyTrigger({ ...t, reasons }, [drop], H)).toBe('true');
    expect(classifyTrigger({ ...t, reasons, triggered_at: 10 * H }, [drop], H)).toBe('false');
  });
});

describe('tallyTruth', () => {
  it('shouldCountEachFiringAlertOnceAndNameTheMissedChanges', () => {
    const firing = { ...alert({}), alert_id: 'a1', status: 'FIRING' as const };
    const resolved = { ...firing, alert_id: 'a2', status: 'RESOLVED' as const };
    const wrong = { ...firing, alert_id: 'a3', window_start: 2 * H, window_end: 3 * H };
    const tally = tallyTruth([firing, firing, resolved, wrong], [], [shift, drop], H);
    expect(tally.trueAlerts).toBe(1);
    expect(tally.falseAlerts).toBe(1);
    expect(tally.falseLines).toEqual([
      'DATA_DRIFT share_drifted on churn/v1 at 02:00: stationary: nothing changed in this window',
    ]);
    expect(tally.missed).toEqual([drop]);
  });
});
