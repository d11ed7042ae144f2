import { Counter, type Registry } from 'prom-client';

/** The estimator's own Prometheus metrics. */
export interface EstimatorMetrics {
  events: Counter<'outcome'>;
  windows: Counter<'kind'>;
}

export function createEstimatorMetrics(registry: Registry): EstimatorMetrics {
  return {
    events: new Counter({
      name: 'driftline_estimator_events_total',
      help: 'Predictions read by the estimator, by outcome: estimated, uncalibrated (version still learning its calibration), unscored, late, undecodable, replayed (after a restart), duplicate (a re-sent prediction id).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    windows: new Counter({
      name: 'driftline_estimator_windows_total',
      help: 'Windows estimated (kind=estimated) and compared with their final realized figures (kind=realized).',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}
