// Alert latency: each alert as it lands on the alerts topic, against the moment its window became closable, i.e.
// the wall time the first event of its model beyond the window's end plus allowed lateness was produced.
import avro from 'avsc';
import type { Kafka } from 'kafkajs';
import { readSchema } from '../../services/core/src/records/schema-files.ts';
import { HEADER_LENGTH } from '../../services/core/src/serde/wire-format.ts';
import type { TimedEvent } from './stream.ts';

export interface SeenAlert {
  kind: string;
  metric: string;
  severity: string;
  status: string;
  provisional: boolean;
  modelId: string;
  windowStartMs: number;
  windowEndMs: number;
  /** Wall time (performance.now()) the alert was read from the topic, committed. */
  arrivedAt: number;
}

/** Reads the alerts topic from its start, in the background, until `stop`. */
export async function watchAlerts(
  kafka: Kafka,
  topic: string,
  groupId: string,
): Promise<{ alerts: SeenAlert[]; stop: () => Promise<void> }> {
  const type = avro.Type.forSchema(readSchema('Alert') as avro.Schema);
  const alerts: SeenAlert[] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const arrivedAt = performance.now();
      if (!message.value) return;
      const a = type.fromBuffer(message.value.subarray(HEADER_LENGTH)) as Record<string, unknown>;
      alerts.push({
        kind: String(a.kind),
        metric: String(a.metric),
        severity: String(a.severity),
        status: String(a.status),
        provisional: Boolean(a.provisional),
        modelId: String(a.model_id),
        windowStartMs: Number(a.window_start),
        windowEndMs: Number(a.window_end),
        arrivedAt,
      });
    },
  });
  return { alerts, stop: () => consumer.disconnect() };
}

/** How long each kind of window waits for late events: the drift monitor's grace, the performance monitor's lateness. */
export interface Lateness {
  driftMs: number;
  performanceMs: number;
}

/**
 * The wall time a window of `modelId` ending at `windowEndMs` became closable, from the produce times of the
 * stream: drift windows (on prediction time) close on the first prediction at or beyond end + grace; performance
 * windows (on prediction time, of labeled pairs) on the first label of a prediction at or beyond end + lateness.
 * Undefined for an alert that is not about a final window (provisional, concept-drift detectors, ...), or when the
 * stream never went that far. Pure.
 */
export function closableAt(
  alert: Pick<SeenAlert, 'kind' | 'provisional' | 'modelId' | 'windowEndMs'>,
  events: readonly TimedEvent[],
  sentAt: Float64Array,
  lateness: Lateness,
): number | undefined {
  const rule =
    alert.kind === 'DATA_DRIFT' || alert.kind === 'PREDICTION_DRIFT'
      ? { topic: 'inference', after: alert.windowEndMs + lateness.driftMs }
      : alert.kind === 'PERFORMANCE' && !alert.provisional
        ? { topic: 'truth', after: alert.windowEndMs + lateness.performanceMs }
        : undefined;
  if (!rule) return undefined;
  let first: number | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.modelId === alert.modelId && e.topic === rule.topic && e.predictedAt >= rule.after)
      first = Math.min(first ?? Infinity, sentAt[i]!);
  }
  return first;
}
