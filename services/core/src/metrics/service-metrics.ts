import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metrics every service exposes; services add their own to `registry`. Names live here, in one place. */
export interface ServiceMetrics {
  registry: Registry;
  eventsIn: Counter<'topic'>;
  eventsOut: Counter<'topic'>;
  deadLetters: Counter<'topic' | 'reason'>;
  batchSeconds: Histogram<'topic'>;
  consumerLag: Gauge<'topic' | 'partition'>;
  rowsWritten: Counter<'table'>;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'driftline_process_' });
  const registers = [registry];
  return {
    registry,
    eventsIn: new Counter({
      name: 'driftline_events_in_total',
      help: 'Events consumed, by topic.',
      labelNames: ['topic'],
      registers,
    }),
    eventsOut: new Counter({
      name: 'driftline_events_out_total',
      help: 'Events produced, by topic.',
      labelNames: ['topic'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'driftline_dead_letters_total',
      help: 'Events sent to the dead-letter topic, by source topic and reason.',
      labelNames: ['topic', 'reason'],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'driftline_batch_duration_seconds',
      help: 'Time to make one batch durable (decode, write, commit).',
      labelNames: ['topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'driftline_consumer_lag',
      help: 'Messages behind the partition end, after the last batch.',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    rowsWritten: new Counter({
      name: 'driftline_clickhouse_rows_total',
      help: 'Rows inserted into ClickHouse, by table.',
      labelNames: ['table'],
      registers,
    }),
  };
}
