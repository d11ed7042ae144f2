import type { InferenceEvent } from '../../core/src/records/records.generated.ts';
import { EstimateState } from '../../core/src/performance/estimate-state.ts';
import type { ScoreCalibration } from '../../core/src/performance/isotonic-calibration.ts';
import type { TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import { SeenIds } from './seen-ids.ts';

/** A decoded record of the inference topic; `event` is null when the value did not decode. */
export interface DecodedInference {
  readonly offset: number;
  readonly event: InferenceEvent | null;
}

/** The estimate state of one open window of a model version on one source partition. */
export interface OpenPartial {
  readonly modelId: string;
  readonly modelVersion: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly state: EstimateState;
  /** The last source offset the state holds. */
  through: number;
  /**
   * Prediction ids counted in this window on this partition, so a re-sent prediction (same id, same key, same
   * partition) counts once. Kept in memory only: after a restart a re-send of an earlier id counts again.
   */
  readonly ids: SeenIds;
}

/** What one batch did, for the store and the counters. */
export interface BatchOutcome {
  readonly touched: OpenPartial[];
  /** The largest event time of each model on this partition after the batch. */
  readonly modelTimes: ReadonlyMap<string, number>;
  estimated: number;
  /** Predictions of versions whose calibration is not complete yet (not estimated). */
  uncalibrated: number;
  /** Predictions without a label or valid scores (regressors, unscored classifiers, a score outside [0, 1]). */
  unscored: number;
  late: number;
  undecodable: number;
  replayed: number;
  duplicates: number;
}

/** A NaN or out-of-range score would poison every sum of its window: such a prediction is not estimated. */
function validScores(scores: Readonly<Record<string, number>>): boolean {
  for (const v of Object.values(scores)) if (!(v >= 0 && v <= 1)) return false;
  return true;
}

export const windowKey = (modelId: string, modelVersion: string, startMs: number): string =>
  `${modelId}\u0000${modelVersion}\u0000${startMs}`;

/**
 * Pure processor of one source partition of the inference topic: adds each calibrated prediction to the
 * estimate state of its event-time window. A window is closed for it once the model's stream time on this
 * partition passed its end plus the grace, or the close loop estimated it (`isClosed`).
 */
export class PartitionEstimator {
  private readonly open = new Map<string, OpenPartial>();

  constructor(
    readonly partition: number,
    private readonly windows: TumblingWindows,
    readonly modelTimes: Map<string, number>,
    restored: OpenPartial[],
  ) {
    for (const p of restored) this.open.set(windowKey(p.modelId, p.modelVersion, p.startMs), p);
  }

  process(
    messages: readonly DecodedInference[],
    calibrationOf: (modelId: string, modelVersion: string) => ScoreCalibration | undefined,
    isClosed: (key: string) => boolean,
  ): BatchOutcome {
    const out: BatchOutcome = {
      touched: [],
      modelTimes: this.modelTimes,
      estimated: 0,
      uncalibrated: 0,
      unscored: 0,
      late: 0,
      undecodable: 0,
      replayed: 0,
      duplicates: 0,
    };
    const target = new BatchWindows(this, isClosed);
    for (const { offset, event } of messages) {
      if (!event) {
        out.undecodable += 1;
        continue;
      }
      const { label, scores } = event.prediction;
      if (label === null || label === undefined || !scores || !validScores(scores)) {
        out.unscored += 1;
        continue;
      }
      const calibration = calibrationOf(event.model_id, event.model_version);
      if (!calibration) {
        out.uncalibrated += 1;
        continue;
      }
      const partial = target.partialFor(event, calibration);
      if (!partial) out.late += 1;
      else if (offset <= partial.through) out.replayed += 1;
      else if (!partial.ids.add(event.prediction_id)) out.duplicates += 1;
      else {
        partial.state.update(label, scores, calibration);
        partial.through = offset;
        target.touch(partial);
        out.estimated += 1;
      }
    }
    out.touched.push(...target.touched);
    return out;
  }

  /** The open partial of an event's window, opened on first use; null when the window is closed for it. */
  partialFor(
    event: InferenceEvent,
    calibration: ScoreCalibration,
    isClosed: (key: string) => boolean,
    window: { start: number; end: number },
  ): OpenPartial | null {
    const key = windowKey(event.model_id, event.model_version, window.start);
    if (isClosed(key)) return null;
    return this.open.get(key) ?? this.openWindow(event, window, calibration, key);
  }

  /** Advances the model's stream time on this partition; true when `window` closed at the new time. */
  advance(modelId: string, timestamp: number, window: { start: number; end: number }): boolean {
    const time = Math.max(this.modelTimes.get(modelId) ?? -Infinity, timestamp);
    this.modelTimes.set(modelId, time);
    return this.windows.isClosed(window, time);
  }

  windowFor(timestamp: number): { start: number; end: number } {
    return this.windows.windowFor(timestamp);
  }

  /** Drops windows that can no longer change here. */
  evict(isClosed: (key: string) => boolean): void {
    for (const [key, p] of this.open) {
      const time = this.modelTimes.get(p.modelId) ?? -Infinity;
      if (isClosed(key) || this.windows.isClosed({ start: p.startMs, end: p.endMs }, time))
        this.open.delete(key);
    }
  }

  get openWindows(): number {
    return this.open.size;
  }

  private openWindow(
    event: InferenceEvent,
    w: { start: number; end: number },
    calibration: ScoreCalibration,
    key: string,
  ): OpenPartial {
    const p: OpenPartial = {
      modelId: event.model_id,
      modelVersion: event.model_version,
      startMs: w.start,
      endMs: w.end,
      state: new EstimateState(calibration.classes),
      through: -1,
      ids: new SeenIds(),
    };
    this.open.set(key, p);
    return p;
  }
}

/**
 * The window lookups of one batch. Consecutive events nearly always fall into the window of the one before, so
 * the last window is remembered and its key is neither built nor looked up again (the close loop marks windows
 * closed between batches, never during one).
 */
class BatchWindows {
  readonly touched = new Set<OpenPartial>();
  private last: { modelId: string; modelVersion: string; start: number; partial: OpenPartial | null } | null =
    null;

  constructor(
    private readonly estimator: PartitionEstimator,
    private readonly isClosed: (key: string) => boolean,
  ) {}

  partialFor(event: InferenceEvent, calibration: ScoreCalibration): OpenPartial | null {
    const w = this.estimator.windowFor(event.timestamp);
    if (this.estimator.advance(event.model_id, event.timestamp, w)) return null;
    const last = this.last;
    if (
      last &&
      last.start === w.start &&
      last.modelId === event.model_id &&
      last.modelVersion === event.model_version
    )
      return last.partial;
    const partial = this.estimator.partialFor(event, calibration, this.isClosed, w);
    this.last = { modelId: event.model_id, modelVersion: event.model_version, start: w.start, partial };
    return partial;
  }

  touch(partial: OpenPartial): void {
    this.touched.add(partial);
  }
}
