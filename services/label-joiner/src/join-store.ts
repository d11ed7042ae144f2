import type { KeyValueStore, WriteOp } from '../../core/src/store/key-value-store.ts';
import { CorruptStateError } from './errors.ts';
import { decodeJoinState, encodeJoinState, expiresAtOf, type JoinState } from './join-state.ts';
import { NO_WATERMARK, type WatermarkState } from './watermark.ts';

// Key layout of a partition's store. `s:` and `m:` are logged to the changelog; the `x:` expiry index is
// derived from the values' headers and rebuilt on restore, which keeps every batch's transaction smaller.
const STATE = 's:';
const INDEX = 'x:';
const META = 'm:meta';
const PAD = 16;

/** Keys that go to the changelog: everything but the derived expiry index. */
export const isLoggedKey = (key: string): boolean => !key.startsWith(INDEX);

/** A partition's event-time progress, entry counts (for the pending gauges) and index write sequence. */
export interface JoinMeta extends WatermarkState {
  counts: Record<JoinState['kind'], number>;
  /** Names the index keys this store writes, so they never collide. */
  seq: number;
}

const emptyMeta = (): JoinMeta => ({
  ...NO_WATERMARK,
  counts: { prediction: 0, label: 0, joined: 0 },
  seq: 0,
});

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
  private readonly buckets = new Map<number, string[]>();
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

  async states(ids: readonly string[]): Promise<Map<string, JoinState>> {
    const values = await this.kv.getMany(ids.map((id) => STATE + id));
    const out = new Map<string, JoinState>();
    values.forEach((v, i) => v && out.set(ids[i]!, decodeJoinState(v)));
    return out;
  }

  /** Stages the change of one id from `before` to `next` (`undefined`: unchanged, `null`: deleted). */
  stage(id: string, before: JoinState | undefined, next: JoinState | null | undefined): void {
    if (next === undefined) return;
    const counts = { ...this.current.counts };
    if (before) counts[before.kind] -= 1;
    if (next) {
      counts[next.kind] += 1;
      this.ops.push({ key: STATE + id, value: encodeJoinState(next) });
      if (!before || before.expiresAt !== next.expiresAt) this.reference(next.expiresAt, id);
    } else {
      this.ops.push({ key: STATE + id, value: null });
    }
    this.current = { ...this.current, counts };
  }

  /** Writes the staged changes, their index keys and the meta to the underlying store in one write. */
  async writeStaged(): Promise<void> {
    const ops = this.ops;
    this.ops = [];
    let seq = this.current.seq;
    for (const [bucket, ids] of this.buckets) {
      ops.push({ key: `${INDEX}${pad(bucket)}:b${seq++}`, value: Buffer.from(JSON.stringify(ids)) });
    }
    this.buckets.clear();
    this.current = { ...this.current, seq };
    ops.push({ key: META, value: Buffer.from(JSON.stringify(this.current)) });
    await this.kv.write(ops);
  }

  /**
   * Entries whose deadline bucket ended before `watermark`, oldest buckets first, about `limit` of them (whole
   * index keys are taken). Every scanned index key is staged for deletion: all its live references are due.
   * @returns `more` when the scan stopped before every due bucket was read.
   */
  async due(watermark: number, limit: number): Promise<{ entries: DueEntry[]; more: boolean }> {
    if (watermark === -Infinity) return { entries: [], more: false };
    const end = Math.floor(watermark / this.bucketMs) * this.bucketMs;
    const keys = await this.kv.range({ gte: INDEX, lt: `${INDEX}${pad(end)}`, limit: KEYS_PER_SCAN });
    const entries: DueEntry[] = [];
    const expired = new Set<string>();
    for (const [n, { key, value }] of keys.entries()) {
      if (entries.length >= limit) return { entries, more: true };
      const bucket = Number(key.slice(INDEX.length, INDEX.length + PAD));
      const ids = (JSON.parse(value.toString('utf8')) as string[]).filter((id) => !expired.has(id));
      const states = await this.states(ids);
      for (const id of ids) {
        const state = states.get(id);
        // Only a reference from the entry's current deadline bucket counts; older ones are leftovers.
        if (state && this.bucketOf(state.expiresAt) === bucket && !expired.has(id)) {
          expired.add(id);
          entries.push({ id, state });
        }
      }
      this.ops.push({ key, value: null });
      if (n === keys.length - 1 && keys.length === KEYS_PER_SCAN) return { entries, more: true };
    }
    return { entries, more: false };
  }

  private bucketOf(t: number): number {
    return Math.floor(Math.max(0, t) / this.bucketMs) * this.bucketMs;
  }

  private reference(expiresAt: number, id: string): void {
    const bucket = this.bucketOf(expiresAt);
    const ids = this.buckets.get(bucket);
    if (ids) ids.push(id);
    else this.buckets.set(bucket, [id]);
  }
}

/**
 * The store writes for a slice of changelog records on restore: the records themselves, plus one index key
 * per deadline bucket for the entries among them (tagged `r<tag>-<n>`, apart from the `b<seq>` keys of
 * normal processing). Older references of a key replayed twice are left for the scan to drop.
 */
export function restoreOps(records: readonly WriteOp[], tag: number, bucketMs = 60_000): WriteOp[] {
  const ops: WriteOp[] = [...records];
  const buckets = new Map<number, string[]>();
  for (const { key, value } of records) {
    if (!key.startsWith(STATE) || value === null) continue;
    const bucket = Math.floor(Math.max(0, expiresAtOf(value)) / bucketMs) * bucketMs;
    const ids = buckets.get(bucket) ?? buckets.set(bucket, []).get(bucket)!;
    ids.push(key.slice(STATE.length));
  }
  let n = 0;
  for (const [bucket, ids] of buckets) {
    ops.push({ key: `${INDEX}${pad(bucket)}:r${tag}-${n++}`, value: Buffer.from(JSON.stringify(ids)) });
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
      counts: { ...emptyMeta().counts, ...(m.counts as JoinMeta['counts']) },
      seq: typeof m.seq === 'number' ? m.seq : 0,
    };
  } catch (error) {
    throw new CorruptStateError(`meta is not JSON: ${(error as Error).message}`);
  }
}
