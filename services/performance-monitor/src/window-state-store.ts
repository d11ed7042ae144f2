import { DriftlineError } from '../../core/src/errors.ts';

/** One record of the changelog topic: a state key and its latest value, or null (a tombstone) once gone. */
export interface ChangelogEntry {
  key: string;
  value: string | null;
}

/**
 * Keys of the processor's durable state. One changelog partition belongs to one source partition, so keys need
 * no partition number. Compaction keeps the last value per key; tombstones remove closed windows and buckets.
 */
export type StoreKey =
  /** The next source offset the state has consumed up to (written with every commit). */
  | { type: 'checkpoint' }
  /** A model's stream time and its versions in first-seen order. */
  | { type: 'model'; model: string }
  | { type: 'window'; model: string; version: string; segment: string; sizeMs: number; start: number }
  | { type: 'bucket'; model: string; version: string; segment: string; start: number }
  | { type: 'rolling'; model: string; version: string; segment: string }
  /** `scope` is a window size name (first-N mode) or `period`. */
  | { type: 'baseline'; model: string; version: string; segment: string; scope: string };

const TAGS = { checkpoint: 'c', model: 'm', window: 'w', bucket: 'b', rolling: 'r', baseline: 'B' } as const;

/** A JSON array: unambiguous whatever characters model ids, versions and tag values contain. */
export function encodeKey(k: StoreKey): string {
  switch (k.type) {
    case 'checkpoint':
      return JSON.stringify([TAGS.checkpoint]);
    case 'model':
      return JSON.stringify([TAGS.model, k.model]);
    case 'window':
      return JSON.stringify([TAGS.window, k.model, k.version, k.segment, k.sizeMs, k.start]);
    case 'bucket':
      return JSON.stringify([TAGS.bucket, k.model, k.version, k.segment, k.start]);
    case 'rolling':
      return JSON.stringify([TAGS.rolling, k.model, k.version, k.segment]);
    case 'baseline':
      return JSON.stringify([TAGS.baseline, k.model, k.version, k.segment, k.scope]);
  }
}

/** @throws DriftlineError (not retriable) on a key this code never wrote. */
export function decodeKey(text: string): StoreKey {
  const parts = JSON.parse(text) as unknown[];
  const [tag, model, version, segment, a, b] = parts as [string, string, string, string, unknown, unknown];
  const str = (x: unknown) => {
    if (typeof x !== 'string') throw new DriftlineError(`malformed changelog key ${text}`);
    return x;
  };
  const num = (x: unknown) => {
    if (typeof x !== 'number') throw new DriftlineError(`malformed changelog key ${text}`);
    return x;
  };
  switch (tag) {
    case TAGS.checkpoint:
      return { type: 'checkpoint' };
    case TAGS.model:
      return { type: 'model', model: str(model) };
    case TAGS.window:
      return {
        type: 'window',
        model: str(model),
        version: str(version),
        segment: str(segment),
        sizeMs: num(a),
        start: num(b),
      };
    case TAGS.bucket:
      return {
        type: 'bucket',
        model: str(model),
        version: str(version),
        segment: str(segment),
        start: num(a),
      };
    case TAGS.rolling:
      return { type: 'rolling', model: str(model), version: str(version), segment: str(segment) };
    case TAGS.baseline:
      return {
        type: 'baseline',
        model: str(model),
        version: str(version),
        segment: str(segment),
        scope: str(a),
      };
    default:
      throw new DriftlineError(`unknown changelog key ${text}`);
  }
}

/**
 * The changelog layer of the window state: remembers which keys changed since the last commit and
 * serializes their latest values only when the batch is committed (a window updated by 5,000 records in a
 * batch is written once). The values themselves live in the processor's typed maps.
 */
export class WindowStateStore {
  private readonly pending = new Map<string, (() => unknown) | null>();

  /** `value` is read at `drain`, so the changelog gets the state as of the commit. */
  put(key: StoreKey, value: () => unknown): void {
    this.pending.set(encodeKey(key), value);
  }

  remove(key: StoreKey): void {
    this.pending.set(encodeKey(key), null);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The changed entries, serialized, in a deterministic order; forgets them. */
  drain(): ChangelogEntry[] {
    const out: ChangelogEntry[] = [];
    for (const [key, value] of this.pending) {
      out.push({ key, value: value === null ? null : JSON.stringify(value()) });
    }
    this.pending.clear();
    return out;
  }

  /** Drops what changed since the last drain (the batch is being thrown away). */
  discard(): void {
    this.pending.clear();
  }
}
