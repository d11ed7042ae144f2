import type { InferenceEvent } from '../../core/src/records/records.generated.ts';
import type { TimeWindow, TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import { versionKey, type ReferenceProfile } from './profile.ts';
import { WindowPartial } from './window-partials.ts';

/** A message of the batch: its offset and the decoded event, or null when it did not decode. */
export interface DecodedMessage {
  offset: number;
  event: InferenceEvent | null;
}

/** The partial state of one window on this partition, and the last offset it holds. */
export interface OpenWindow {
  modelId: string;
  modelVersion: string;
  window: TimeWindow;
  partial: WindowPartial;
  /** Every event of the partition up to this offset that falls in the window is in `partial`. -1: none. */
  through: number;
}

/** What one batch did: the windows to write (full state) and what was set aside. */
export interface BatchOutcome {
  /** Windows changed by the batch, with `through` = the batch's last offset. */
  touched: OpenWindow[];
  streamTime: number;
  lastOffset: number;
  applied: number;
  /** Already in a stored partial (a replay after a crash between the write and the commit). */
  replayed: number;
  /** Behind the partition's stream time by more than the grace: their window is final. */
  late: number;
  undecodable: number;
  /** Events of model versions without a profile, by version key. */
  unprofiled: Map<string, { modelId: string; modelVersion: string; count: number }>;
}

export type ProfileLookup = (modelId: string, modelVersion: string) => ReferenceProfile | undefined;

/**
 * Phase 1 for one source partition: folds events into the partial state of their event-time window.
 * Pure and deterministic: the same messages after the same restored state give the same partials, which
 * is what makes a replay rewrite identical rows. An event whose window the partition's stream time has
 * closed (end + grace) is dropped as late; an event at or below a window's `through` was already counted.
 */
export class PartitionProcessor {
  private readonly open = new Map<string, OpenWindow>();
  private time: number;
  private last: OpenWindow | undefined;

  constructor(
    readonly partition: number,
    private readonly windows: TumblingWindows,
    restored: { streamTime: number; open: OpenWindow[] } = { streamTime: -Infinity, open: [] },
  ) {
    this.time = restored.streamTime;
    for (const w of restored.open) this.open.set(windowKey(w.modelId, w.modelVersion, w.window.start), w);
  }

  get streamTime(): number {
    return this.time;
  }

  /** Open windows held in memory (for metrics and tests). */
  get openWindows(): OpenWindow[] {
    return [...this.open.values()];
  }

  process(messages: DecodedMessage[], profiles: ProfileLookup): BatchOutcome {
    const out: BatchOutcome = {
      touched: [],
      streamTime: this.time,
      lastOffset: messages[messages.length - 1]?.offset ?? -1,
      applied: 0,
      replayed: 0,
      late: 0,
      undecodable: 0,
      unprofiled: new Map(),
    };
    const touched = new Set<OpenWindow>();
    for (const { offset, event } of messages) {
      if (event === null) out.undecodable += 1;
      else this.apply(offset, event, profiles, out, touched);
    }
    for (const w of touched) w.through = out.lastOffset;
    out.touched = [...touched];
    out.streamTime = this.time;
    return out;
  }

  private apply(
    offset: number,
    event: InferenceEvent,
    profiles: ProfileLookup,
    out: BatchOutcome,
    touched: Set<OpenWindow>,
  ): void {
    const ts = event.timestamp;
    const last = this.last;
    // Consecutive events mostly share a model and a window: skip the key string and the map lookup then.
    const hit =
      last !== undefined &&
      ts >= last.window.start &&
      ts < last.window.end &&
      last.modelId === event.model_id &&
      last.modelVersion === event.model_version;
    const window = hit ? last.window : this.windows.windowFor(ts);
    const closed = this.windows.isClosed(window, this.time);
    if (ts > this.time) this.time = ts;
    if (closed) {
      out.late += 1;
      return;
    }
    const w = hit ? last : this.find(event, window, profiles, out);
    if (w === undefined) return;
    this.last = w;
    if (offset <= w.through) {
      out.replayed += 1;
      return;
    }
    w.partial.update(event);
    touched.add(w);
    out.applied += 1;
  }

  private find(
    event: InferenceEvent,
    window: TimeWindow,
    profiles: ProfileLookup,
    out: BatchOutcome,
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
      partial: new WindowPartial(profile),
      through: -1,
    };
    this.open.set(key, w);
    return w;
  }

  /** Forgets windows the stream time has closed; call after their last state was written. */
  evictClosed(): OpenWindow[] {
    const evicted: OpenWindow[] = [];
    this.last = undefined;
    for (const [key, w] of this.open) {
      if (this.windows.isClosed(w.window, this.time)) {
        this.open.delete(key);
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
