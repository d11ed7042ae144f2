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

/** A partition's event-time progress and entry counts (for the pending gauges), stored with its state. */
export interface JoinMeta extends WatermarkState {
  counts: Record<JoinState['kind'], number>;
}

const emptyMeta = (): JoinMeta => ({ ...NO_WATERMARK, counts: { prediction: 0, label: 0, joined: 0 } });

function indexKey(expiresAt: number, id: string): string {
  const t = Math.min(Math.max(0, Math.floor(expiresAt)), 10 ** PAD - 1);
  return `${INDEX}${String(t).padStart(PAD, '0')}:${id}`;
}

/** An entry whose deadline the watermark has passed. */
export interface DueEntry {
  id: string;
  state: JoinState;
}

/**
 * The join state of one partition over a KeyValueStore: entries by prediction id, an event-time expiry index
 * and the partition's meta. Writes are staged and written together, so a batch is one store write.
 */
export class JoinStore {
  private ops: WriteOp[] = [];
  private current: JoinMeta = emptyMeta();

  constructor(private readonly kv: KeyValueStore) {}

  /** Reads the meta; call after opening or restoring, and after a failed batch was discarded. */
  async load(): Promise<void> {
    const raw = await this.kv.get(META);
    this.current = raw ? parseMeta(raw) : emptyMeta();
    this.ops = [];
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
    if (before) {
      counts[before.kind] -= 1;
      if (!next || next.expiresAt !== before.expiresAt)
        this.ops.push({ key: indexKey(before.expiresAt, id), value: null });
    }
    if (next) {
      counts[next.kind] += 1;
      this.ops.push({ key: STATE + id, value: encodeJoinState(next) });
      this.ops.push({ key: indexKey(next.expiresAt, id), value: Buffer.alloc(0) });
    } else {
      this.ops.push({ key: STATE + id, value: null });
    }
    this.current = { ...this.current, counts };
  }

  /** Writes the staged changes and the meta to the underlying store in one write. */
  async writeStaged(): Promise<void> {
    const ops = this.ops;
    this.ops = [];
    ops.push({ key: META, value: Buffer.from(JSON.stringify(this.current)) });
    await this.kv.write(ops);
  }

  /**
   * Up to `limit` entries whose deadline is before `watermark`, oldest first. Index keys left stale by a
   * restore (an entry whose deadline changed) are staged for deletion and skipped.
   */
  async due(watermark: number, limit: number): Promise<DueEntry[]> {
    if (watermark === -Infinity) return [];
    const keys = await this.kv.range({ gte: INDEX, lt: indexKey(watermark, ''), limit });
    const ids = keys.map((k) => k.key.slice(INDEX.length + PAD + 1));
    const states = await this.states(ids);
    const due: DueEntry[] = [];
    keys.forEach(({ key }, i) => {
      const state = states.get(ids[i]!);
      if (state && indexKey(state.expiresAt, ids[i]!) === key) due.push({ id: ids[i]!, state });
      else this.ops.push({ key, value: null });
    });
    return due;
  }
}

/** The store writes for one changelog record on restore: the record itself plus its expiry index key. */
export function restoreOps(key: string, value: Buffer | null): WriteOp[] {
  if (!key.startsWith(STATE) || value === null) return [{ key, value }];
  return [
    { key, value },
    { key: indexKey(expiresAtOf(value), key.slice(STATE.length)), value: Buffer.alloc(0) },
  ];
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
    };
  } catch (error) {
    throw new CorruptStateError(`meta is not JSON: ${(error as Error).message}`);
  }
}
