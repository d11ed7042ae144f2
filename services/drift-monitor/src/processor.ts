import type { InferenceEvent } from '../../core/src/records/records.generated.ts';
import type { TimeWindow, TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import { versionKey, type ReferenceProfile } from './profile.ts';
import { DEFAULT_EXACT_VALUES, WindowPartial } from './window-partials.ts';

/** A message of the batch: its offset and the decoded event, or null when it did not decode. */
export interface DecodedMessage {
  offset: number;
  event: InferenceEvent | null;
}

/** A model's stream time on this partition: the largest event time of the model seen here. */
export interface ModelClock {
  modelId: string;
  time: number;
}

/** The partial state of one window on this partition, and the last offset it holds. */
export interface OpenWindow {
  modelId: string;
  modelVersion: string;
  window: TimeWindow;
  partial: WindowPartial;
  /** Every event of the partition up to this offset that falls in the window is in `partial`. -1: none. */
  through: number;
  /** Prediction ids counted in `partial` (at most ProcessorOptions.maxIds over the partition's windows). */
  ids: Set<string>;
  /** Ids the current batch added (written to drift_window_ids with the batch). */
  newIds: string[];
  clock?: ModelClock;
}

/** What one batch did: the windows to write (full state) and what was set aside. */
export interface BatchOutcome {
  /** Windows changed by the batch, with `through` = the batch's last offset. */
  touched: OpenWindow[];
  /** The stream time on this partition of each model the batch had events of. */
  modelTimes: Map<string, number>;
  /** The largest stream time of any model (for logs and metrics). */
  streamTime: number;
  lastOffset: number;
  applied: number;
  /** Already in a stored partial (a replay after a crash between the write and the commit). */
  replayed: number;
  /** Behind their model's stream time on the partition by more than the grace: their window is final. */
  late: number;
  /** A prediction id already counted in its window (a re-sent prediction). */
  duplicates: number;
  /** Counted without remembering the id: the partition held ProcessorOptions.maxIds ids already. */
  untracked: number;
  undecodable: number;
  /** Events of model versions without a profile, by version key. */
  unprofiled: Map<string, { modelId: string; modelVersion: string; count: number }>;
}

export type ProfileLookup = (modelId: string, modelVersion: string) => ReferenceProfile | undefined;

export interface ProcessorOptions {
  /** Raw values kept per numeric column of a window for exact KS (@default DEFAULT_EXACT_VALUES). */
  exactValues?: number;
  /** Prediction ids remembered over the partition's open windows for de-duplication (@default 200,000). */
  maxIds?: number;
}

export interface RestoredPartition {
  /** Each model's stream time on the partition. */
  modelTimes: Map<string, number>;
  open: OpenWindow[];
}

export const DEFAULT_MAX_IDS = 200_000;

/**
 * Phase 1 for one source partition: folds events into the partial state of their event-time window.
 * Pure and deterministic: the same messages after the same restored state give the same partials, which
 * is what makes a replay rewrite identical rows. Each model has its own clock (its largest event time on
 * the partition), so a model whose events are a day behind another's, or a backfill of an old day, is
 * windowed as if it were alone. An event whose window its model's clock has closed (end + grace) is dropped
 * as late; an event at or below a window's `through` was already counted; a prediction id already counted
 * in its window is a re-send and is dropped.
 */
export class PartitionProcessor {
  private readonly open = new Map<string, OpenWindow>();
  private readonly clocks = new Map<string, ModelClock>();
  private readonly exactValues: number;
  private readonly maxIds: number;
  private ids = 0;
  private last: OpenWindow | undefined;

  constructor(
    readonly partition: number,
    private readonly windows: TumblingWindows,
    restored: RestoredPartition = { modelTimes: new Map(), open: [] },
    options: ProcessorOptions = {},
  ) {
    this.exactValues = options.exactValues ?? DEFAULT_EXACT_VALUES;
    this.maxIds = options.maxIds ?? DEFAULT_MAX_IDS;
    for (const [modelId, time] of restored.modelTimes) this.clocks.set(modelId, { modelId, time });
    for (const w of restored.open) {
      w.clock = this.clockOf(w.modelId);
      this.ids += w.ids.size;
      this.open.set(windowKey(w.modelId, w.modelVersion, w.window.start), w);
    }
  }

  /** The model's stream time on this partition, -Infinity before its first event. */
  streamTimeOf(modelId: string): number {
    return this.clocks.get(modelId)?.time ?? -Infinity;
  }

  /** Open windows held in memory (for metrics and tests). */
  get openWindows(): OpenWindow[] {
    return [...this.open.values()];
  }

  process(messages: DecodedMessage[], profiles: ProfileLookup): BatchOutcome {
    const out: BatchOutcome = {
      touched: [],
      modelTimes: new Map(),
      streamTime: -Infinity,
      lastOffset: messages[messages.length - 1]?.offset ?? -1,
      applied: 0,
      replayed: 0,
      late: 0,
      duplicates: 0,
      untracked: 0,
      undecodable: 0,
      unprofiled: new Map(),
    };
    // Each touched window's events of the batch, in order: a window takes them in one call (a block of
    // events at a time, column by column), once the batch has been sorted out.
    const touched = new Map<OpenWindow, InferenceEvent[]>();
    const clocks = new Set<ModelClock>();
    for (const w of this.open.values()) w.newIds = [];
    for (const { offset, event } of messages) {
      if (event === null) out.undecodable += 1;
      else this.apply(offset, event, profiles, out, touched, clocks);
    }
    for (const [w, events] of touched) {
      w.partial.updateMany(events);
      w.through = out.lastOffset;
    }
    out.touched = [...touched.keys()];
    for (const c of clocks) out.modelTimes.set(c.modelId, c.time);
    for (const c of this.clocks.values()) out.streamTime = Math.max(out.streamTime, c.time);
    return out;
  }

  private clockOf(modelId: string): ModelClock {
    let c = this.clocks.get(modelId);
    if (c === undefined) {
      c = { modelId, time: -Infinity };
      this.clocks.set(modelId, c);
    }
    return c;
  }

  private apply(
    offset: number,
    event: InferenceEvent,
    profiles: ProfileLookup,
    out: BatchOutcome,
    touched: Map<OpenWindow, InferenceEvent[]>,
    clocks: Set<ModelClock>,
  ): void {
    const ts = event.timestamp;
    const last = this.last;
    // Consecutive events mostly share a model and a window: skip the key string and the map lookups then.
    const hit =
      last !== undefined &&
      ts >= last.window.start &&
      ts < last.window.end &&
      last.modelId === event.model_id &&
      last.modelVersion === event.model_version;
    const clock = hit ? (last.clock as ModelClock) : this.clockOf(event.model_id);
    const window = hit ? last.window : this.windows.windowFor(ts);
    const closed = this.windows.isClosed(window, clock.time);
    if (ts > clock.time) clock.time = ts;
    clocks.add(clock);
    if (closed) {
      out.late += 1;
      return;
    }
    const w = hit ? last : this.find(event, window, profiles, out, clock);
    if (w === undefined) return;
    this.last = w;
    if (offset <= w.through) {
      out.replayed += 1;
      return;
    }
    if (!this.remember(w, event.prediction_id, out)) return;
    const pending = touched.get(w);
    if (pending === undefined) touched.set(w, [event]);
    else pending.push(event);
    out.applied += 1;
  }

  /** False for an id already counted in the window; remembers a new one while the bound allows. */
  private remember(w: OpenWindow, id: string, out: BatchOutcome): boolean {
    if (w.ids.has(id)) {
      out.duplicates += 1;
      return false;
    }
    if (this.ids >= this.maxIds) out.untracked += 1;
    else {
      w.ids.add(id);
      w.newIds.push(id);
      this.ids += 1;
    }
    return true;
  }

  private find(
    event: InferenceEvent,
    window: TimeWindow,
    profiles: ProfileLookup,
    out: BatchOutcome,
    clock: ModelClock,
  ): OpenWindow | undefined {
    const key = windowKey(event.model_id, event.model_version, window.start);
    let w = this.open.get(key);
    if (w !== undefined) return w;
    const profile = profiles(event.model_id, event.model_version);
    if (profile === undefined) {
      countUnprofiled(out, event);
      return undefined;
    }
    w = {
      modelId: event.model_id,
      modelVersion: event.model_version,
      window,
      partial: new WindowPartial(profile, this.exactValues),
      through: -1,
      ids: new Set(),
      newIds: [],
      clock,
    };
    this.open.set(key, w);
    return w;
  }

  /** Forgets windows their model's clock has closed, and their ids; call after their last state was written. */
  evictClosed(): OpenWindow[] {
    const evicted: OpenWindow[] = [];
    this.last = undefined;
    for (const [key, w] of this.open) {
      if (this.windows.isClosed(w.window, this.streamTimeOf(w.modelId))) {
        this.open.delete(key);
        this.ids -= w.ids.size;
        evicted.push(w);
      }
    }
    return evicted;
  }
}

function countUnprofiled(out: BatchOutcome, event: InferenceEvent): void {
  const k = versionKey(event.model_id, event.model_version);
  const entry = out.unprofiled.get(k) ?? {
    modelId: event.model_id,
    modelVersion: event.model_version,
    count: 0,
  };
  entry.count += 1;
  out.unprofiled.set(k, entry);
}

export function windowKey(modelId: string, modelVersion: string, start: number): string {
  return `${versionKey(modelId, modelVersion)}\u0000${start}`;
}
