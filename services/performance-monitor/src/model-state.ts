import { RegressionState } from '../../core/src/performance/index.ts';
import { CLASSIFICATION_DEFAULTS } from '../../core/src/performance/index.ts';
import type { JoinerTask } from '../../core/src/serde/joiner-task-header.ts';
import { MergedStreamTime } from '../../core/src/windows/merged-stream-time.ts';
import type { Baseline } from './baseline.ts';
import { ClassificationBucket } from './classification-bucket.ts';
import { emptyState, type Kind, type KindState } from './kind-state.ts';
import type { RollingSeries } from './rolling-series.ts';

/** One tumbling window of one series. `final` once the stream time passed its end plus the lateness. */
export interface WindowEntry {
  state: KindState;
  final: boolean;
  /** Part of its own baseline (first-N mode): its rows never show a baseline or delta. */
  inBaseline?: boolean;
}

export type Bucket = ClassificationBucket | RegressionState;

/**
 * Everything kept for one model version in one segment: this batch's samples per bucket (`deltas`), the
 * open buckets and windows, the rolling window and the baselines.
 *
 * Each record updates only its delta (one state update per segment); the deltas are merged into the bucket
 * and every window size once per batch. That keeps the per-record cost independent of the number of window
 * sizes, which is what makes 50,000 labeled events/s with 10 classes and scores possible.
 */
export class Series {
  readonly deltas = new Map<number, KindState>();
  /** This batch's corrected pairs to take out, per bucket, one single-sample state each (after the deltas). */
  readonly retractions = new Map<number, KindState[]>();
  readonly buckets = new Map<number, Bucket>();
  /** sizeMs → window start → window. */
  readonly windows = new Map<number, Map<number, WindowEntry>>();
  rolling: RollingSeries | undefined;
  /** Window size name (first-N mode) or `period` → baseline. */
  readonly baselines = new Map<string, Baseline>();

  constructor(
    readonly model: string,
    readonly version: string,
    readonly segment: string,
    readonly kind: Kind,
  ) {}

  delta(bucketStart: number): KindState {
    let state = this.deltas.get(bucketStart);
    if (!state) this.deltas.set(bucketStart, (state = emptyState(this.kind)));
    return state;
  }

  /** Queues the earlier pair of a correction (as a one-sample state) to be taken out of bucket `start`. */
  retract(bucketStart: number, pair: KindState): void {
    const list = this.retractions.get(bucketStart);
    if (list) list.push(pair);
    else this.retractions.set(bucketStart, [pair]);
  }

  bucket(start: number): Bucket {
    let bucket = this.buckets.get(start);
    if (!bucket) {
      bucket =
        this.kind === 'classification'
          ? new ClassificationBucket(CLASSIFICATION_DEFAULTS.calibrationBins)
          : new RegressionState();
      this.buckets.set(start, bucket);
    }
    return bucket;
  }

  windowsOf(sizeMs: number): Map<number, WindowEntry> {
    let windows = this.windows.get(sizeMs);
    if (!windows) this.windows.set(sizeMs, (windows = new Map()));
    return windows;
  }

  window(sizeMs: number, start: number): WindowEntry {
    const windows = this.windowsOf(sizeMs);
    let entry = windows.get(start);
    if (!entry) windows.set(start, (entry = { state: emptyState(this.kind), final: false }));
    return entry;
  }
}

/** A version of a model, in first-seen order. */
export interface VersionInfo {
  version: string;
  kind: Kind;
  /** The value of the arm tag on its first record ('' without one). */
  arm: string;
}

export interface ModelStateJson {
  streamTime: number | null;
  versions: VersionInfo[];
  /** Each label-joiner task's largest prediction time of the model (absent in states stored before). */
  tasks?: Record<string, number>;
  taskCount?: number;
}

/** A model's clock and versions, and its series by version and segment. */
export class ModelState {
  /**
   * The model's prediction times merged over the joiner tasks that bring its pairs: windows close on it, so
   * replays close them alike.
   */
  private readonly clock: MergedStreamTime;
  readonly versions: VersionInfo[] = [];
  private readonly byVersion = new Map<string, VersionInfo>();
  readonly series = new Map<string, Series>();

  constructor(
    readonly id: string,
    maxTaskSkewMs: number,
  ) {
    this.clock = new MergedStreamTime(maxTaskSkewMs);
  }

  get streamTime(): number {
    return this.clock.time;
  }

  /** Takes a pair's prediction time, joined by the joiner's task `from`. */
  observe(from: JoinerTask, predictedAt: number): void {
    this.clock.observe(from.task, predictedAt, from.taskCount);
  }

  version(version: string): VersionInfo | undefined {
    return this.byVersion.get(version);
  }

  addVersion(info: VersionInfo): void {
    this.versions.push(info);
    this.byVersion.set(info.version, info);
  }

  seriesFor(version: string, segment: string, kind: Kind): Series {
    const key = `${version}\u0000${segment}`;
    let series = this.series.get(key);
    if (!series) this.series.set(key, (series = new Series(this.id, version, segment, kind)));
    return series;
  }

  toJSON(): ModelStateJson {
    const { time, tasks, taskCount } = this.clock.toJSON();
    return { streamTime: time, versions: this.versions, tasks, taskCount };
  }

  restore(json: ModelStateJson): void {
    this.clock.restore({ time: json.streamTime, tasks: json.tasks, taskCount: json.taskCount });
    this.versions.length = 0;
    this.byVersion.clear();
    for (const v of json.versions) this.addVersion(v);
  }
}
