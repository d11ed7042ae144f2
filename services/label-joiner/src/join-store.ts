import type { KeyValueStore, WriteOp } from '../../core/src/store/key-value-store.ts';
import { CorruptStateError } from './errors.ts';
import { decodeJoinState, encodeJoinState, expiresAtOf, type JoinState } from './join-state.ts';
import { NO_WATERMARK, type ModelClock, type WatermarkState } from './watermark.ts';

// Key layout of a partition's store. `s:` and `m:` are logged to the changelog; the `x:` expiry index is
// derived from the values' headers and rebuilt on restore, which keeps every batch's transaction smaller.
const STATE = 's:';
const INDEX = 'x:';
const META = 'm:meta';
const PAD = 16;

/** Keys that go to the changelog: everything but the derived expiry index. */
export const isLoggedKey = (key: string): boolean => !key.startsWith(INDEX);

/**
 * The clock an entry expires on: its model's id, or UNATTRIBUTED for a label that names no model and joined
 * markers (the slowest model clock of the partition, so such a label waits for any model's prediction).
 */
export const UNATTRIBUTED = '';

/** Which clock a state expires on. Pure. */
export function clockOf(state: JoinState): string {
  if (state.kind === 'prediction') return state.prediction.model_id;
  if (state.kind === 'label') return state.label.model_id ?? UNATTRIBUTED;
  return UNATTRIBUTED;
}

/** A partition's event-time progress, entry counts (for the pending gauges) and index write sequence. */
export interface JoinMeta extends WatermarkState {
  /** Each model's own event-time progress in this partition. */
  models: Record<string, ModelClock>;
  counts: Record<JoinState['kind'], number>;
  /** Names the index keys this store writes, so they never collide. */
  seq: number;
}

const emptyMeta = (): JoinMeta => ({
  ...NO_WATERMARK,
  models: {},
  counts: { prediction: 0, label: 0, joined: 0 },
  seq: 0,
});

/**
 * Index keys of a clock: `x:m=<model, URI-encoded>|<bucket>:<tag>`; the unattributed clock keeps the plain
 * `x:<bucket>:<tag>` of stores written before clocks were per model, so their entries still expire.
 */
const indexPrefix = (clock: string): string =>
  clock === UNATTRIBUTED ? INDEX : `${INDEX}m=${encodeURIComponent(clock)}|`;

/** Index keys read per expiry scan: bounds its memory when a watermark jump makes a backlog due at once. */
const KEYS_PER_SCAN = 256;

const pad = (t: number) => String(Math.min(Math.max(0, Math.floor(t)), 10 ** PAD - 1)).padStart(PAD, '0');

/** An entry whose deadline the watermark has passed. */
export interface DueEntry {
  id: string;
  state: JoinState;
}

export interface JoinStoreOptions {
  /**
   * Width of the expiry index's event-time buckets. An entry expires once the watermark has passed the end of
   * its deadline's bucket: at most this much event time late, in exchange for one index key per bucket and
   * batch instead of one per entry. @default 60_000
   */
  bucketMs?: number;
}

/**
 * The join state of one partition over a KeyValueStore: entries by prediction id, an event-time expiry index
 * and the partition's meta. Writes are staged and written together, so a batch is one store write.
 *
 * The index is coarse and lazy: `x:<bucket start>:<tag>` holds the ids (JSON) given a deadline in that bucket
 * by one batch. A changed or deleted entry leaves its old reference behind; the expiry scan checks every
 * reference against the entry's current deadline and drops those that no longer match.
 */
export class JoinStore {
  private ops: WriteOp[] = [];
  /** Clock → deadline bucket → ids referenced by this batch. */
  private readonly buckets = new Map<string, Map<number, string[]>>();
  private current: JoinMeta = emptyMeta();
  private readonly bucketMs: number;

  constructor(
    private readonly kv: KeyValueStore,
    options: JoinStoreOptions = {},
  ) {
    this.bucketMs = options.bucketMs ?? 60_000;
  }

  /** Reads the meta; call after opening or restoring, and after a failed batch was discarded. */
  async load(): Promise<void> {
    const raw = await this.kv.get(META);
    this.current = raw ? parseMeta(raw) : emptyMeta();
    this.ops = [];
    this.buckets.clear();
  }

  get meta(): JoinMeta {
    return this.current;
  }

  set watermark(w: WatermarkState) {
    this.current = { ...this.current, ...w };
  }

  set models(models: Record<string, ModelClock>) {
    this.current = { ...this.current, models };
  }

  /**
   * Each clock's watermark: a model's own; the unattributed clock follows the slowest model (a label that
   * names no model may belong to any of them), or the partition's watermark before any model was seen.
   */
  watermarks(): Map<string, number> {
    const marks = new Map(Object.entries(this.current.models).map(([m, c]) => [m, c.watermark]));
    const slowest = marks.size > 0 ? Math.min(...marks.values()) : this.current.watermark;
    marks.set(UNATTRIBUTED, slowest);
    return marks;
  }

  async states(ids: readonly string[]): Promise<Map<string, JoinState>> {
    const values = await this.kv.getMany(ids.map((id) => STATE + id));
    const out = new Map<string, JoinState>();
    values.forEach((v, i) => v && out.set(ids[i]!, decodeJoinState(v)));
    return out;
  }

  /** Stages the change of one id from `before` to `next` (`undefined`: unchanged, `null`: deleted). */
  stage(id: string, before: JoinState | undefined, next: JoinState | null | undefined): void {
    if (next === undefined) return;
    // In place: the meta is this store's own (load() makes a fresh one), and a copy per record was measurable.
    const counts = this.current.counts;
    if (before) counts[before.kind] -= 1;
    if (next) {
      counts[next.kind] += 1;
      this.ops.push({ key: STATE + id, value: encodeJoinState(next) });
      const clock = clockOf(next);
      if (!before || before.expiresAt !== next.expiresAt || clockOf(before) !== clock)
        this.reference(clock, next.expiresAt, id);
      if (clock !== UNATTRIBUTED && !this.current.models[clock]) {
        const models = { ...this.current.models, [clock]: { ...NO_WATERMARK } };
        this.current = { ...this.current, models };
      }
    } else {
      this.ops.push({ key: STATE + id, value: null });
    }
  }

  /** Writes the staged changes, their index keys and the meta to the underlying store in one write. */
  async writeStaged(): Promise<void> {
    const ops = this.ops;
    this.ops = [];
    let seq = this.current.seq;
    for (const [clock, buckets] of this.buckets) {
      for (const [bucket, ids] of buckets) {
        const key = `${indexPrefix(clock)}${pad(bucket)}:b${seq++}`;
        ops.push({ key, value: Buffer.from(JSON.stringify(ids)) });
      }
    }
    this.buckets.clear();
    this.current = { ...this.current, seq };
    ops.push({ key: META, value: Buffer.from(JSON.stringify(this.current)) });
    await this.kv.write(ops);
  }

  /**
   * Entries whose deadline bucket ended before their clock's watermark, oldest buckets first, about `limit` of
   * them (whole index keys are taken). Every scanned index key is staged for deletion: all its live
   * references are due.
   * @param watermarks clock (model id, or UNATTRIBUTED) → its watermark; one number: that watermark for every
   *   clock the partition has seen.
   * @returns `more` when the scan stopped before every due bucket was read.
   */
  async due(
    watermarks: number | ReadonlyMap<string, number>,
    limit: number,
  ): Promise<{ entries: DueEntry[]; more: boolean }> {
    const marks = typeof watermarks === 'number' ? this.everyClockAt(watermarks) : watermarks;
    const { keys, truncated } = await this.dueKeys(marks);
    const entries: DueEntry[] = [];
    const expired = new Set<string>();
    for (const { clock, bucket, key, value } of keys) {
      if (entries.length >= limit) return { entries, more: true };
      const ids = (JSON.parse(value.toString('utf8')) as string[]).filter((id) => !expired.has(id));
      const states = await this.states(ids);
      for (const id of ids) {
        const state = states.get(id);
        // Only a reference from the entry's current clock and deadline bucket counts; others are leftovers.
        if (state && clockOf(state) === clock && this.bucketOf(state.expiresAt) === bucket) {
          expired.add(id);
          entries.push({ id, state });
        }
      }
      this.ops.push({ key, value: null });
    }
    return { entries, more: truncated };
  }

  /** The index keys of due buckets of every clock, oldest bucket first; `truncated` when a scan hit its cap. */
  private async dueKeys(marks: ReadonlyMap<string, number>) {
    const keys: { clock: string; bucket: number; key: string; value: Buffer }[] = [];
    let truncated = false;
    for (const [clock, watermark] of marks) {
      if (watermark === -Infinity) continue;
      const prefix = indexPrefix(clock);
      const end = Math.floor(watermark / this.bucketMs) * this.bucketMs;
      const found = await this.kv.range({ gte: prefix, lt: `${prefix}${pad(end)}`, limit: KEYS_PER_SCAN });
      truncated ||= found.length === KEYS_PER_SCAN;
      for (const { key, value } of found) {
        keys.push({ clock, key, value, bucket: Number(key.slice(prefix.length, prefix.length + PAD)) });
      }
    }
    keys.sort((a, b) => a.bucket - b.bucket || (a.key < b.key ? -1 : 1));
    return { keys, truncated };
  }

  private everyClockAt(watermark: number): Map<string, number> {
    const clocks = [UNATTRIBUTED, ...Object.keys(this.current.models)];
    return new Map(clocks.map((c) => [c, watermark]));
  }

  private bucketOf(t: number): number {
    return Math.floor(Math.max(0, t) / this.bucketMs) * this.bucketMs;
  }

  private reference(clock: string, expiresAt: number, id: string): void {
    const bucket = this.bucketOf(expiresAt);
    const buckets = this.buckets.get(clock) ?? this.buckets.set(clock, new Map()).get(clock)!;
    const ids = buckets.get(bucket);
    if (ids) ids.push(id);
    else buckets.set(bucket, [id]);
  }
}

/**
 * The store writes for a slice of changelog records on restore: the records themselves, plus one index key
 * per clock and deadline bucket for the entries among them (tagged `r<tag>-<n>`, apart from the `b<seq>` keys
 * of normal processing). Older references of a key replayed twice are left for the scan to drop.
 */
export function restoreOps(records: readonly WriteOp[], tag: number, bucketMs = 60_000): WriteOp[] {
  const ops: WriteOp[] = [...records];
  const buckets = new Map<string, string[]>();
  for (const { key, value } of records) {
    if (!key.startsWith(STATE) || value === null) continue;
    const bucket = Math.floor(Math.max(0, expiresAtOf(value)) / bucketMs) * bucketMs;
    const at = `${indexPrefix(clockOf(decodeJoinState(value)))}${pad(bucket)}`;
    const ids = buckets.get(at) ?? buckets.set(at, []).get(at)!;
    ids.push(key.slice(STATE.length));
  }
  let n = 0;
  for (const [at, ids] of buckets) {
    ops.push({ key: `${at}:r${tag}-${n++}`, value: Buffer.from(JSON.stringify(ids)) });
  }
  return ops;
}

function parseMeta(raw: Buffer): JoinMeta {
  try {
    const m = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' ? v : -Infinity);
    return {
      predictions: num(m.predictions),
      labels: num(m.labels),
      watermark: num(m.watermark),
      models: parseClocks(m.models),
      counts: { ...emptyMeta().counts, ...(m.counts as JoinMeta['counts']) },
      seq: typeof m.seq === 'number' ? m.seq : 0,
    };
  } catch (error) {
    throw new CorruptStateError(`meta is not JSON: ${(error as Error).message}`);
  }
}

/** JSON has no -Infinity: a clock side never seen is written as null. */
function parseClocks(raw: unknown): Record<string, ModelClock> {
  const out: Record<string, ModelClock> = {};
  const num = (v: unknown) => (typeof v === 'number' ? v : -Infinity);
  for (const [model, c] of Object.entries((raw ?? {}) as Record<string, Record<string, unknown>>)) {
    out[model] = { predictions: num(c.predictions), labels: num(c.labels), watermark: num(c.watermark) };
  }
  return out;
}
