import { Counter, Gauge, Summary, type Registry } from 'prom-client';

/** The label joiner's own metrics, beside the service metrics every service has. Names live here. */
export interface JoinerMetrics {
  joined: Counter<'model_id'>;
  corrections: Counter<'model_id'>;
  expired: Counter<'model_id' | 'kind'>;
  duplicates: Counter<'of'>;
  pending: Gauge<'partition' | 'kind'>;
  watermark: Gauge<'partition'>;
  labelDelay: Summary<'model_id'>;
  restoredRecords: Counter<'partition'>;
}

export function createJoinerMetrics(registry: Registry): JoinerMetrics {
  const registers = [registry];
  return {
    joined: new Counter({
      name: 'driftline_joiner_joined_total',
      help: 'Predictions joined to their first label, by model.',
      labelNames: ['model_id'],
      registers,
    }),
    corrections: new Counter({
      name: 'driftline_joiner_corrections_total',
      help: 'Joined pairs re-emitted with a replacing label (duplicate-label policy `last`), by model.',
      labelNames: ['model_id'],
      registers,
    }),
    expired: new Counter({
      name: 'driftline_joiner_expired_total',
      help: 'Entries expired on event time: kind `unlabeled` (a prediction without label) or `orphan` (a label without prediction). Exact totals: the join-expirations topic.',
      labelNames: ['model_id', 'kind'],
      registers,
    }),
    duplicates: new Counter({
      name: 'driftline_joiner_duplicates_total',
      help: 'Duplicate predictions or labels seen (ignored, or corrections for labels under policy `last`).',
      labelNames: ['of'],
      registers,
    }),
    pending: new Gauge({
      name: 'driftline_joiner_pending',
      help: 'Entries in the partition stores: predictions waiting for a label, labels waiting for a prediction, joined markers kept for duplicates.',
      labelNames: ['partition', 'kind'],
      registers,
    }),
    watermark: new Gauge({
      name: 'driftline_joiner_watermark_seconds',
      help: "Event-time watermark per partition (the smaller of the two inputs' largest timestamps).",
      labelNames: ['partition'],
      registers,
    }),
    labelDelay: new Summary({
      name: 'driftline_joiner_label_delay_seconds',
      help: 'Label delay (labeled-at minus predicted-at, event time) of joined predictions, by model.',
      labelNames: ['model_id'],
      percentiles: [0.5, 0.9, 0.99],
      maxAgeSeconds: 600,
      ageBuckets: 5,
      registers,
    }),
    restoredRecords: new Counter({
      name: 'driftline_joiner_restored_records_total',
      help: 'Changelog records replayed into local stores (after a crash or when a partition moved here).',
      labelNames: ['partition'],
      registers,
    }),
  };
}
