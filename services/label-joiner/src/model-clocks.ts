import type { JoinInput, JoinOutput } from './join-processor.ts';
import { modelWatermark, type ModelClock, type Side, type WatermarkState } from './watermark.ts';

/**
 * The per-model event-time clocks of one partition across a batch: each model's largest prediction time and
 * largest label time. A label advances its model's clock when it names the model, or once it joined one of
 * the model's predictions (a label that names no model belongs to none until then).
 */
export class ModelClocks {
  private readonly clocks: Map<string, ModelClock>;

  constructor(start: Readonly<Record<string, ModelClock>>) {
    this.clocks = new Map(Object.entries(start).map(([m, c]) => [m, { ...c }]));
  }

  /** Takes one processed input and what it emitted. */
  observe(input: JoinInput, outputs: readonly JoinOutput[]): void {
    if (input.kind === 'prediction') this.raise(input.event.model_id, 'predictions', input.event.timestamp);
    else if (input.event.model_id) this.raise(input.event.model_id, 'labels', input.event.timestamp);
    this.attributeJoins(outputs);
  }

  /** Raises the label clock of each joined pair's model to the pair's label time. */
  attributeJoins(outputs: readonly JoinOutput[]): void {
    for (const o of outputs)
      if (o.type === 'joined') this.raise(o.pair.model_id, 'labels', o.pair.labeled_at);
  }

  /** Every model's clock with its new watermark (modelWatermark). */
  advance(
    partition: WatermarkState,
    idle: Record<Side, boolean>,
    maxSkewMs: number,
  ): Record<string, ModelClock> {
    const out: Record<string, ModelClock> = {};
    for (const [model, clock] of this.clocks) {
      out[model] = { ...clock, watermark: modelWatermark(clock, partition, idle, maxSkewMs) };
    }
    return out;
  }

  private raise(model: string, side: Side, eventTime: number): void {
    const clock = this.clocks.get(model);
    if (!clock)
      this.clocks.set(model, {
        predictions: -Infinity,
        labels: -Infinity,
        watermark: -Infinity,
        [side]: eventTime,
      });
    else if (eventTime > clock[side]) clock[side] = eventTime;
  }
}
