import type { InferenceWithoutFeatures } from '../../core/src/serde/codecs.ts';
import { EstimateState } from '../../core/src/performance/estimate-state.ts';
import type { ScoreCalibration } from '../../core/src/performance/isotonic-calibration.ts';
import type { TimeWindow, TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import { BatchWindows } from './batch-windows.ts';
import type { OpenPartial } from './open-partial.ts';
import { SeenIds } from './seen-ids.ts';

/** A decoded record of the inference topic; `event` is null when the value did not decode. */
export interface DecodedInference {
  readonly offset: number;
  readonly event: InferenceWithoutFeatures | null;
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
    const target = new BatchWindows(this.windows, this.modelTimes, (event, calibration, w) =>
      this.partialFor(event, calibration, isClosed, w),
    );
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
    target.flush();
    out.touched.push(...target.touched);
    return out;
  }

  /** The open partial of an event's window, opened on first use; null when the window is closed for it. */
  partialFor(
    event: InferenceWithoutFeatures,
    calibration: ScoreCalibration,
    isClosed: (key: string) => boolean,
    window: TimeWindow,
  ): OpenPartial | null {
    const key = windowKey(event.model_id, event.model_version, window.start);
    if (isClosed(key)) return null;
    return this.open.get(key) ?? this.openWindow(event, window, calibration, key);
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
    event: InferenceWithoutFeatures,
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
