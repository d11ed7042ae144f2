/** The two inputs of the join. */
export type Side = 'predictions' | 'labels';

/** Event-time progress of one partition: the largest timestamp seen per side, and the watermark. */
export interface WatermarkState {
  predictions: number;
  labels: number;
  /** Never decreases. -Infinity until both sides have been seen (or one is idle). */
  watermark: number;
}

export const NO_WATERMARK: WatermarkState = {
  predictions: -Infinity,
  labels: -Infinity,
  watermark: -Infinity,
};

/** Raises a side's largest seen event time. Pure. */
export function observe(state: WatermarkState, side: Side, eventTime: number): WatermarkState {
  return eventTime > state[side] ? { ...state, [side]: eventTime } : state;
}

/**
 * The watermark is the smaller of the two sides' largest event times (Flink's rule for two inputs): an entry
 * expires only once both topics have moved past its deadline, so whichever topic the consumer happens to read
 * first, a prediction never expires while its label is still unread behind it. A side that is idle (caught up
 * and silent) stops holding the watermark back, so a quiet label source does not stall expiry. Pure.
 * @example advance({ predictions: 500, labels: 200, watermark: 100 }, { predictions: false, labels: false })
 *   // { predictions: 500, labels: 200, watermark: 200 }
 */
export function advance(state: WatermarkState, idle: Record<Side, boolean>): WatermarkState {
  const active = (['predictions', 'labels'] as const).filter((s) => !idle[s]);
  const candidate =
    active.length === 0
      ? Math.max(state.predictions, state.labels)
      : Math.min(...active.map((s) => state[s]));
  return candidate > state.watermark ? { ...state, watermark: candidate } : state;
}

/** One model's event-time progress in a partition: its own sides' largest times, and its watermark. */
export type ModelClock = WatermarkState;

/**
 * A model's watermark: the same two-input rule over the model's own largest prediction time and the largest
 * label time attributed to it (a label naming the model, or joined to one of its predictions), so one model's
 * clock never expires another's entries: not even before the model's first label was read, when another
 * model's labels may already be far ahead. A clock lagging the partition's watermark by more than `maxSkewMs`
 * is pulled along: a model that went quiet for good, or whose labels never come, still expires its entries.
 * Never decreases. Pure.
 * @example modelWatermark({ predictions: 100, labels: 90, watermark: 0 }, { predictions: 900, labels: 950,
 *   watermark: 900 }, { predictions: false, labels: false }, 500) // 400: pulled along (900 - 500 > 90)
 */
export function modelWatermark(
  clock: ModelClock,
  partition: WatermarkState,
  idle: Record<Side, boolean>,
  maxSkewMs: number,
): number {
  const own = advance({ ...clock, watermark: -Infinity }, idle).watermark;
  return Math.max(clock.watermark, own, partition.watermark - maxSkewMs);
}

/**
 * Wall-clock idleness of a partition's two sides, Flink's `withIdleness`: a side is idle when its last batch
 * left it caught up (or it never had one) and nothing arrived for `idleMs`. The clock is injected.
 */
export class IdleTracker {
  private readonly lastBatchAt: Record<Side, number>;
  private readonly caughtUp: Record<Side, boolean> = { predictions: true, labels: true };

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {
    const start = now();
    this.lastBatchAt = { predictions: start, labels: start };
  }

  /** Records a batch of `side`; `caughtUp` when it reached the end of its partition. */
  onBatch(side: Side, caughtUp: boolean): void {
    this.lastBatchAt[side] = this.now();
    this.caughtUp[side] = caughtUp;
  }

  idle(): Record<Side, boolean> {
    const t = this.now();
    const one = (s: Side) => this.caughtUp[s] && t - this.lastBatchAt[s] >= this.idleMs;
    return { predictions: one('predictions'), labels: one('labels') };
  }
}
