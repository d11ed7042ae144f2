import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesHistogram } from '../../../../services/core/src/metrics/series-histogram.ts';

const BUCKETS = [0.1, 0.5, 1, 2.5];

/** prom-client's own Histogram and ours, fed the same observations, each in its own registry. */
function pair(defaultLabels?: Record<string, string>) {
  const theirs = new Registry();
  const ours = new Registry();
  if (defaultLabels) {
    theirs.setDefaultLabels(defaultLabels);
    ours.setDefaultLabels(defaultLabels);
  }
  const reference = new Histogram({
    name: 'x_seconds',
    help: 'A help text.',
    labelNames: ['model_id', 'model_version'],
    buckets: BUCKETS,
    registers: [theirs],
  });
  const histogram = new SeriesHistogram({
    name: 'x_seconds',
    help: 'A help text.',
    buckets: BUCKETS,
    registers: [ours],
  });
  return { theirs, ours, reference, histogram };
}

describe('SeriesHistogram', () => {
  it('shouldExportTheTextPromClientsHistogramExportsWhenFedTheSameObservations', async () => {
    const { theirs, ours, reference, histogram } = pair({ service: 'drift-monitor' });
    const values = [0, 0.1, 0.10000001, 0.4, 0.5, 0.7, 1, 2.5, 2.6, 1e9, -3, 0.05];
    const sets = [
      { model_id: 'fraud', model_version: 'v1' },
      { model_id: 'churn "x"\n', model_version: 'v\\2' },
    ];
    values.forEach((v, i) => {
      const labels = sets[i % 2]!;
      reference.observe(labels, v);
      histogram.series(labels).observe(v);
    });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // prom-client adds `exemplar: null` to its values (we keep none); the rest of the JSON export is the same.
    const withoutExemplars = (metrics: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      metrics.map((m) => ({
        ...m,
        values: m.values.map((v) => ({
          labels: v.labels,
          value: v.value,
          metricName: (v as { metricName?: string }).metricName,
        })),
      }));
    expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(
      withoutExemplars(await theirs.getMetricsAsJSON()),
    );
  });

  it('shouldKeepOneSeriesPerLabelSetWhenTheSameLabelsAreGivenAgain', async () => {
    const { ours, histogram } = pair();
    histogram.series({ model_id: 'a' }).observe(0.3);
    histogram.series({ model_id: 'a' }).observe(3);
    histogram.series({ model_id: 'b' }).observe(0.3);
    const text = await ours.metrics();
    expect(text).toContain('x_seconds_count{model_id="a"} 2');
    expect(text).toContain('x_seconds_bucket{le="0.5",model_id="a"} 1');
    expect(text).toContain('x_seconds_bucket{le="+Inf",model_id="a"} 2');
    expect(text).toContain('x_seconds_sum{model_id="a"} 3.3');
    expect(text).toContain('x_seconds_count{model_id="b"} 1');
  });

  it('shouldRefuseASecondMetricOfTheSameNameWhenRegistered', () => {
    const registry = new Registry();
    new SeriesHistogram({ name: 'y', help: 'h', buckets: [1], registers: [registry] });
    expect(() => new SeriesHistogram({ name: 'y', help: 'h', buckets: [1], registers: [registry] })).toThrow(
      /already been registered/,
    );
  });
});
