import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../../../services/core/src/config/load.ts';
import { ModelLabelCap, OTHER_MODEL } from '../../../../services/core/src/metrics/model-label-cap.ts';
import { MODEL_METRICS_SETTINGS } from '../../../../services/core/src/metrics/model-metrics-settings.ts';
import { ModelMetrics, confidenceOf } from '../../../../services/core/src/metrics/model-metrics.ts';

const figure = (version: string, startMs: number, metric: string, value: number) => ({
  modelId: 'fraud',
  modelVersion: version,
  window: '1h',
  startMs,
  metric,
  value,
  samples: 200,
});

async function text(registry: Registry): Promise<string> {
  return registry.metrics();
}

describe('ModelLabelCap', () => {
  it('shouldFoldPairsBeyondTheCapIntoOtherWhenFull', () => {
    const cap = new ModelLabelCap(2);
    expect(cap.labels('a', '1').overflow).toBe(false);
    expect(cap.labels('a', '2').overflow).toBe(false);
    expect(cap.labels('b', '1')).toEqual({
      model_id: OTHER_MODEL,
      model_version: OTHER_MODEL,
      overflow: true,
    });
    expect(cap.labels('a', '1').overflow).toBe(false);
    expect(cap.size).toBe(2);
  });
});

describe('ModelMetrics', () => {
  it('shouldExportMainFiguresOfTheLatestWindowOnlyWhenOlderWindowsAreReemitted', async () => {
    const registry = new Registry();
    const m = new ModelMetrics(registry, 10);
    m.windowFigures([
      figure('v1', 3_600_000, 'accuracy', 0.9),
      figure('v1', 3_600_000, 'precision:cat', 0.5),
    ]);
    m.windowFigures([figure('v1', 0, 'accuracy', 0.1)]);
    const out = await text(registry);
    expect(out).toContain(
      'driftline_model_performance{model_id="fraud",model_version="v1",window="1h",metric="accuracy"} 0.9',
    );
    expect(out).not.toContain('precision:cat');
    expect(out).toContain(
      'driftline_model_window_samples{model_id="fraud",model_version="v1",window="1h"} 200',
    );
  });

  it('shouldCountOverflowAndWriteNoGaugeWhenThePairIsBeyondTheCap', async () => {
    const registry = new Registry();
    const m = new ModelMetrics(registry, 1);
    m.drift('fraud', 'v1', 0.25, 2);
    m.drift('fraud', 'v2', 0.5, 4);
    m.inference('fraud', 'v3', { confidence: 0.8, latencyMs: 20 });
    const out = await text(registry);
    expect(out).toContain('driftline_model_drift_share{model_id="fraud",model_version="v1"} 0.25');
    expect(out).toContain('driftline_model_drifted_features{model_id="fraud",model_version="v1"} 2');
    expect(out).not.toContain('model_version="v2"');
    expect(out).toContain(
      'driftline_model_prediction_confidence_bucket{le="0.8",model_id="__other__",model_version="__other__"} 1',
    );
    expect(out).toContain(
      'driftline_model_inference_latency_seconds_bucket{le="0.01",model_id="__other__",model_version="__other__"} 0',
    );
    expect(out).toContain(
      'driftline_model_inference_latency_seconds_bucket{le="0.025",model_id="__other__",model_version="__other__"} 1',
    );
    expect(out).toContain('driftline_model_series_overflow_total 2');
  });

  it('shouldTakeTheLargestScoreAsConfidenceWhenScoresArePresent', () => {
    expect(confidenceOf({ a: 0.2, b: 0.7, c: 0.1 })).toBe(0.7);
    expect(confidenceOf(null)).toBeUndefined();
    expect(confidenceOf({})).toBeUndefined();
  });

  it('shouldFailAtStartupNamingTheSettingWhenTheCapIsNotPositive', () => {
    expect(loadSettings(MODEL_METRICS_SETTINGS, {}).maxModelVersions).toBe(50);
    expect(() => loadSettings(MODEL_METRICS_SETTINGS, { DRIFTLINE_METRICS_MAX_MODEL_VERSIONS: '0' })).toThrow(
      /DRIFTLINE_METRICS_MAX_MODEL_VERSIONS/,
    );
  });
});
