import { confidenceOf, type ModelMetrics } from '../../core/src/metrics/model-metrics.ts';
import type { DecodedMessage } from './processor.ts';

/**
 * Every decoded event's confidence and latency into the per-model histograms. Prometheus counts deliveries:
 * a batch redelivered after a crash is observed again (ClickHouse's aggregates are the exact ones).
 */
export function observeInferences(metrics: ModelMetrics, messages: readonly DecodedMessage[]): void {
  for (const { event } of messages) {
    if (!event) continue;
    metrics.inference(event.model_id, event.model_version, {
      confidence: confidenceOf(event.prediction.scores),
      latencyMs: event.latency_ms ?? undefined,
    });
  }
}
