import { Counter, Gauge, type Registry } from 'prom-client';

/** The alerter's own metrics, next to the ones every service has. */
export interface AlerterMetrics {
  windows: Counter<'source'>;
  alerts: Counter<'kind' | 'status' | 'severity'>;
  triggers: Counter<'model_id'>;
  heldBack: Counter<'model_id' | 'why'>;
  /** From the durable policy state, so it survives restarts (the counter above starts at 0). */
  heldBackTotal: Gauge<'model_id'>;
}

export function createAlerterMetrics(registry: Registry): AlerterMetrics {
  const registers = [registry];
  return {
    windows: new Counter({
      name: 'driftline_alerter_windows_total',
      help: 'Closed windows evaluated, by source (performance, drift, agreement).',
      labelNames: ['source'],
      registers,
    }),
    alerts: new Counter({
      name: 'driftline_alerter_alerts_total',
      help: 'Alert events published, by kind, status and severity.',
      labelNames: ['kind', 'status', 'severity'],
      registers,
    }),
    triggers: new Counter({
      name: 'driftline_alerter_retrain_triggers_total',
      help: 'Retrain triggers published, by model.',
      labelNames: ['model_id'],
      registers,
    }),
    heldBack: new Counter({
      name: 'driftline_alerter_retrain_held_back_total',
      help: 'Retrain triggers held back by this process, by model and why (min_interval, daily_cap).',
      labelNames: ['model_id', 'why'],
      registers,
    }),
    heldBackTotal: new Gauge({
      name: 'driftline_alerter_retrain_held_back',
      help: 'Retrain triggers ever held back per model, from the durable policy state.',
      labelNames: ['model_id'],
      registers,
    }),
  };
}
