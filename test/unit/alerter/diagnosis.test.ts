import { describe, expect, it } from 'vitest';
import { evidence } from '../../../services/alerter/src/condition.ts';
import { diagnose, NO_SIGNALS } from '../../../services/alerter/src/diagnosis.ts';

const age = evidence('age', 'feature', 'ks', 0.4, { p_value: 0.0001, threshold: 0.05 });
const cat = evidence('cat', 'class', 'recall_delta', -0.2);
const p95 = evidence('latency_p95', 'operational', 'quantile_exact', 1500);
const dead = evidence('dead_letter_rate', 'operational', 'offset_delta', 0.2);
const output = evidence('__prediction__', 'feature', 'chi2', 40);
const adwin = evidence('adwin', 'detector', 'mean_error_since_last', 0.3);

describe('diagnosis', () => {
  it('shouldBlameOperationsAndScaleWhenLatencyBreaches', () => {
    const d = diagnose('PERFORMANCE', {
      ...NO_SIGNALS,
      operational: [p95],
      driftedFeatures: [age],
      performanceDrop: true,
    });
    expect(d).toMatchObject({ diagnosis: 'operational', remedy: 'scale' });
  });

  it('shouldInvestigateUpstreamWhenDeadLettersRise', () => {
    expect(diagnose('DATA_QUALITY', { ...NO_SIGNALS, operational: [dead] })).toMatchObject({
      diagnosis: 'operational',
      remedy: 'investigate',
    });
  });

  it('shouldRetrainOnDataDriftWithAPerformanceDropAndNameFeaturesAndClasses', () => {
    const d = diagnose('PERFORMANCE', {
      ...NO_SIGNALS,
      driftedFeatures: [age],
      recallDrops: [cat],
      performanceDrop: true,
    });
    expect(d).toMatchObject({ diagnosis: 'data_drift', remedy: 'retrain' });
    expect(d.message).toContain('age');
    expect(d.message).toContain('cat');
  });

  it('shouldOnlyWatchDataDriftWhilePerformanceHolds', () => {
    expect(diagnose('DATA_DRIFT', { ...NO_SIGNALS, driftedFeatures: [age] })).toMatchObject({
      diagnosis: 'data_drift',
      remedy: 'investigate',
    });
  });

  it('shouldCallItConceptDriftWhenErrorsRiseOnUnchangedInputs', () => {
    const d = diagnose('CONCEPT_DRIFT', { ...NO_SIGNALS, detectorHits: [adwin] });
    expect(d).toMatchObject({ diagnosis: 'concept_drift', remedy: 'retrain' });
    expect(d.message).toContain('adwin');
  });

  it('shouldSuggestRollbackWhenOutputsMoveOnUnchangedInputs', () => {
    const d = diagnose('PERFORMANCE', { ...NO_SIGNALS, predictionDrift: output, performanceDrop: true });
    expect(d).toMatchObject({ diagnosis: 'operational', remedy: 'rollback' });
  });

  it('shouldFallBackToTheAlertKindWithoutEvidence', () => {
    expect(diagnose('LATENCY', NO_SIGNALS)).toMatchObject({
      diagnosis: 'operational',
      remedy: 'investigate',
    });
    expect(diagnose('DATA_DRIFT', NO_SIGNALS).diagnosis).toBe('data_drift');
  });
});
