import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** The drift monitor's own metrics, beside the ones every service has. */
export interface DriftMetrics {
  lateEvents: Counter;
  unprofiledEvents: Counter<'model_id' | 'model_version'>;
  undecodable: Counter<'topic'>;
  replayedEvents: Counter;
  duplicateEvents: Counter;
  untrackedIds: Counter;
  openWindows: Gauge<'partition'>;
  windowsClosed: Counter<'model_id'>;
  watermark: Gauge;
  detections: Counter<'model_id' | 'detector'>;
  unconfirmedSignals: Counter;
}

export function createDriftMetrics(registry: Registry): DriftMetrics {
  const registers = [registry];
  return {
    lateEvents: new Counter({
      name: 'driftline_drift_late_events_total',
      help: 'Events dropped because their window was final on their partition (behind stream time by more than the grace).',
      labelNames: ['model_id'],
      registers,
    }),
    unprofiledEvents: new Counter({
      name: 'driftline_drift_unprofiled_events_total',
      help: 'Events of model versions without a reference profile (not monitored).',
      labelNames: ['model_id', 'model_version'],
      registers,
    }),
    undecodable: new Counter({
      name: 'driftline_drift_undecodable_total',
      help: 'Messages that did not decode (skipped; the sink dead-letters user topics).',
      labelNames: ['topic'],
      registers,
    }),
    replayedEvents: new Counter({
      name: 'driftline_drift_replayed_events_total',
      help: 'Redelivered events already in a stored partial state (skipped).',
      registers,
    }),
    duplicateEvents: new Counter({
      name: 'driftline_drift_duplicate_events_total',
      help: 'Re-sent predictions (a prediction id already counted in its window) left out of the drift windows.',
      registers,
    }),
    untrackedIds: new Counter({
      name: 'driftline_drift_untracked_ids_total',
      help: 'Events counted without remembering their prediction id (the partition held DRIFTLINE_DRIFT_DEDUP_IDS ids): a re-send of them would count twice.',
      registers,
    }),
    openWindows: new Gauge({
      name: 'driftline_drift_open_windows',
      help: 'Partial window states held in memory, by source partition.',
      labelNames: ['partition'],
      registers,
    }),
    windowsClosed: new Counter({
      name: 'driftline_drift_windows_closed_total',
      help: 'Windows whose tests ran (including recomputations).',
      labelNames: ['model_id'],
      registers,
    }),
    watermark: new Gauge({
      name: 'driftline_drift_watermark_ms',
      help: "The largest models' watermark: each model's event time up to which its windows are final across partitions.",
      registers,
    }),
    detections: new Counter({
      name: 'driftline_drift_concept_detections_total',
      help: 'Concept drifts reported: detector signals confirmed by a rise of the error rate.',
      labelNames: ['model_id', 'detector'],
      registers,
    }),
    unconfirmedSignals: new Counter({
      name: 'driftline_drift_concept_unconfirmed_total',
      help: 'Concept-drift detector signals not reported: no significant error-rate rise confirmed them (false alarms on a steady error stream).',
      registers,
    }),
  };
}
