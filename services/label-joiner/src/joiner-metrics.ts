import { Counter, Gauge, type Registry } from 'prom-client';
import { SeriesHistogram, type HistogramSeries } from '../../core/src/metrics/series-histogram.ts';
import { DelaySketch } from './delay-sketch.ts';

/** The label joiner's own metrics, beside the service metrics every service has. Names live here. */
export interface JoinerMetrics {
  joined: Counter<'model_id'>;
  corrections: Counter<'model_id'>;
  expired: Counter<'model_id' | 'kind'>;
  duplicates: Counter<'of'>;
  pending: Gauge<'partition' | 'kind'>;
  watermark: Gauge<'partition'>;
  restoredRecords: Counter<'partition'>;
  rerouted: Counter<'topic'>;
  /** The service metrics' `driftline_dead_letters_total`, shared with every service. */
  deadLetters: Counter<'topic' | 'reason'>;
  /** Records one joined pair's label delay in the histogram and the model's quantile sketch. */
  observeLabelDelay(modelId: string, seconds: number): void;
}

const QUANTILES = [0.5, 0.9, 0.99];
const DAY = 86_400;

export function createJoinerMetrics(
  registry: Registry,
  deadLetters: Counter<'topic' | 'reason'>,
): JoinerMetrics {
  const registers = [registry];
  // A histogram, not a Summary: it merges across instances in PromQL (histogram_quantile), and a series handle
  // per model makes an observation a bucket increment (prom-client's Summary costs ~10 µs: five t-digests).
  // Exact-to-1% quantiles per model come from a DDSketch per model, computed at scrape time.
  const histogram = new SeriesHistogram({
    name: 'driftline_joiner_label_delay_seconds',
    help: 'Label delay (labeled-at minus predicted-at, event time) of joined predictions, by model.',
    buckets: [1, 10, 60, 300, 900, 3600, 4 * 3600, DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY],
    registers,
  });
  const delays = new Map<string, { series: HistogramSeries; sketch: DelaySketch }>();
  new Gauge({
    name: 'driftline_joiner_label_delay_quantile_seconds',
    help: 'Label delay quantiles per model since start (DDSketch, 1% relative accuracy).',
    labelNames: ['model_id', 'quantile'],
    registers,
    collect() {
      this.reset();
      for (const [model, { sketch }] of delays) {
        for (const q of QUANTILES) this.set({ model_id: model, quantile: String(q) }, sketch.quantile(q));
      }
    },
  });
  return {
    deadLetters,
    observeLabelDelay(modelId, seconds) {
      let delay = delays.get(modelId);
      if (!delay)
        delays.set(
          modelId,
          (delay = { series: histogram.series({ model_id: modelId }), sketch: new DelaySketch() }),
        );
      delay.series.observe(seconds);
      delay.sketch.add(seconds);
    },
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
    restoredRecords: new Counter({
      name: 'driftline_joiner_restored_records_total',
      help: 'Changelog records replayed into local stores (after a crash or when a partition moved here).',
      labelNames: ['partition'],
      registers,
    }),
    rerouted: new Counter({
      name: 'driftline_joiner_rerouted_total',
      help: 'Input records found in another partition than the Java partitioner gives their key (a producer with another partitioner), forwarded through the repartition topic.',
      labelNames: ['topic'],
      registers,
    }),
  };
}
