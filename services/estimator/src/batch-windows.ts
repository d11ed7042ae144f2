import type { ScoreCalibration } from '../../core/src/performance/isotonic-calibration.ts';
import type { InferenceWithoutFeatures } from '../../core/src/serde/codecs.ts';
import type { TimeWindow, TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import type { OpenPartial } from './open-partial.ts';

/** The window a run of consecutive events of one model version falls into, and the model's stream time. */
interface Run {
  readonly modelId: string;
  readonly modelVersion: string;
  readonly window: TimeWindow;
  readonly partial: OpenPartial | null;
  time: number;
}

/**
 * The window lookups of one batch of a partition. Consecutive events nearly always fall into the window of
 * the one before, so the current run's window, partial and model stream time are kept at hand: per event, two
 * comparisons instead of a window object, a key string, two map lookups and a map write (the estimator's hot
 * path). The close loop marks windows closed between batches, never during one, so a run's answer holds.
 */
export class BatchWindows {
  readonly touched = new Set<OpenPartial>();
  private run: Run | null = null;

  constructor(
    private readonly windows: TumblingWindows,
    /** The largest event time of each model on the partition; brought up to date by {@link flush}. */
    private readonly modelTimes: Map<string, number>,
    /** The open partial of the event's window, opened on first use; null when the window was estimated. */
    private readonly partialOf: (
      event: InferenceWithoutFeatures,
      calibration: ScoreCalibration,
      window: TimeWindow,
    ) => OpenPartial | null,
  ) {}

  /** The partial `event` adds to, after advancing its model's stream time; null when its window is closed. */
  partialFor(event: InferenceWithoutFeatures, calibration: ScoreCalibration): OpenPartial | null {
    const t = event.timestamp;
    let run = this.run;
    if (
      !run ||
      t < run.window.start ||
      t >= run.window.end ||
      run.modelId !== event.model_id ||
      run.modelVersion !== event.model_version
    )
      run = this.start(event, calibration);
    if (t > run.time) run.time = t;
    return this.windows.isClosed(run.window, run.time) ? null : run.partial;
  }

  touch(partial: OpenPartial): void {
    this.touched.add(partial);
  }

  /** Writes the current run's stream time back to the model's. */
  flush(): void {
    const run = this.run;
    if (run)
      this.modelTimes.set(run.modelId, Math.max(this.modelTimes.get(run.modelId) ?? -Infinity, run.time));
  }

  private start(event: InferenceWithoutFeatures, calibration: ScoreCalibration): Run {
    this.flush();
    const window = this.windows.windowFor(event.timestamp);
    const time = Math.max(this.modelTimes.get(event.model_id) ?? -Infinity, event.timestamp);
    // A window already closed stays closed (stream time only grows): no partial is opened for it.
    const closed = this.windows.isClosed(window, time);
    const run: Run = {
      modelId: event.model_id,
      modelVersion: event.model_version,
      window,
      partial: closed ? null : this.partialOf(event, calibration, window),
      time,
    };
    this.run = run;
    return run;
  }
}
