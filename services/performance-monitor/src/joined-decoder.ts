import type avro from 'avsc';
import { DecodeError } from '../../core/src/errors.ts';
import type { JoinedPrediction } from '../../core/src/records/records.generated.ts';
import { HEADER_LENGTH, readSchemaId } from '../../core/src/serde/wire-format.ts';

/**
 * A hand-written reader of the JoinedPrediction Avro body, for writer schemas whose parsing canonical form
 * equals ours (the binary layout is then known field by field). Decoding is the largest per-record cost of
 * the service: the generic avsc reader spends ~10-16 µs on a record with ten class scores, mostly building
 * the score map; this reader reuses the map's key strings from record to record and takes ~2 µs.
 */
export class JoinedBodyReader {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Strings seen per kind of field, by a hash of their bytes: models, versions, labels and tags repeat. */
  private readonly seen: Map<number, { bytes: Buffer; text: string }>[] = [
    new Map(),
    new Map(),
    new Map(),
    new Map(),
  ];
  private readonly scoreKeys: string[] = [];
  private readonly scoreValues: number[] = [];
  private scoreFactory: ((values: readonly number[]) => Record<string, number>) | undefined;

  /** @throws DecodeError('avro_decode_failed') on a truncated or malformed body. */
  read(buf: Buffer, offset: number): JoinedPrediction {
    this.buf = buf;
    this.pos = offset;
    try {
      const r: JoinedPrediction = {
        prediction_id: this.string(),
        model_id: this.interned(SLOT.model),
        model_version: this.interned(SLOT.version),
        predicted_at: this.long(),
        labeled_at: this.long(),
        predicted_label: this.branch(2) === 0 ? null : this.interned(SLOT.label),
        predicted_value: this.branch(2) === 0 ? null : this.double(),
        scores: this.branch(2) === 0 ? null : this.scores(),
        label: this.branch(2) === 0 ? this.interned(SLOT.label) : this.double(),
        tags: this.branch(2) === 0 ? null : this.tags(),
        correction: this.boolean(),
      };
      if (this.pos !== buf.length) throw new Error(`${buf.length - this.pos} trailing bytes`);
      return r;
    } catch (error) {
      if (error instanceof DecodeError) throw error;
      throw new DecodeError(
        'avro_decode_failed',
        `Avro body is not a JoinedPrediction: ${(error as Error).message}`,
        error,
      );
    }
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('truncated body');
  }

  /** Zig-zag varint, exact up to 2^53 (timestamps do not fit 32-bit arithmetic). */
  private long(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      this.need(1);
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
      if (scale > 2 ** 63) throw new Error('varint too long');
    }
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  private branch(count: number): number {
    const index = this.long();
    if (index < 0 || index >= count) throw new Error(`union index ${index} out of range`);
    return index;
  }

  private string(): string {
    const length = this.long();
    if (length < 0) throw new Error('negative string length');
    this.need(length);
    const text = this.buf.toString('utf8', this.pos, this.pos + length);
    this.pos += length;
    return text;
  }

  private double(): number {
    this.need(8);
    const x = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return x;
  }

  private boolean(): boolean {
    this.need(1);
    const b = this.buf[this.pos++]!;
    if (b > 1) throw new Error(`boolean byte ${b}`);
    return b === 1;
  }

  /** Map blocks: a count (negative: followed by the block's byte size), entries, then 0. */
  private blockCount(): number {
    const count = this.long();
    if (count >= 0) return count;
    this.long();
    return -count;
  }

  /**
   * Score maps repeat their keys in the same order record after record: when they do, the object is built
   * in one step by a factory compiled for those keys (an object literal, so V8 gives it a fixed shape).
   */
  private scores(): Record<string, number> {
    const keys = this.scoreKeys;
    const values = this.scoreValues;
    let n = 0;
    let same = true;
    for (let count = this.blockCount(); count > 0; count = this.blockCount()) {
      for (let i = 0; i < count; i++, n++) {
        const key = this.interned(SLOT.label);
        if (same && keys[n] !== key) {
          same = false;
          keys.length = n;
        }
        if (!same) keys.push(key);
        values[n] = this.double();
      }
    }
    if (!same || keys.length !== n || !this.scoreFactory) {
      keys.length = n;
      this.scoreFactory = scoreFactory(keys);
    }
    return this.scoreFactory(values);
  }

  private tags(): Record<string, string> {
    const out: Record<string, string> = {};
    for (let count = this.blockCount(); count > 0; count = this.blockCount()) {
      for (let i = 0; i < count; i++) {
        const key = this.interned(SLOT.tag);
        out[key] = this.interned(SLOT.tag);
      }
    }
    return out;
  }

  /** A string of a field whose values repeat: the text decoded before is reused when the bytes match. */
  private interned(slot: number): string {
    const length = this.long();
    if (length < 0) throw new Error('negative string length');
    this.need(length);
    const { buf, pos } = this;
    let hash = length;
    for (let i = pos; i < pos + length; i++) hash = (Math.imul(hash, 31) + buf[i]!) | 0;
    const seen = this.seen[slot]!;
    const entry = seen.get(hash);
    this.pos += length;
    if (entry && sameBytes(entry.bytes, buf, pos, length)) return entry.text;
    const text = buf.toString('utf8', pos, pos + length);
    // Bounded: a field with endless distinct values just starts over.
    if (seen.size >= MAX_SEEN) seen.clear();
    seen.set(hash, { bytes: Buffer.from(buf.subarray(pos, pos + length)), text });
    return text;
  }
}

/** Kinds of cached strings: class labels (predicted, true and score keys) share one cache. */
const SLOT = { model: 0, version: 1, label: 2, tag: 3 } as const;
const MAX_SEEN = 4096;

/**
 * Compiles `(v) => ({ ["k0"]: v[0], ["k1"]: v[1], ... })` for a key sequence. Keys are JSON string literals,
 * so any text is quoted safely, and computed, so a class named `__proto__` stays an own property; a repeated
 * key keeps its last value, as in the generic reader.
 */
function scoreFactory(keys: readonly string[]): (values: readonly number[]) => Record<string, number> {
  if (keys.length > 256) {
    return (values) => Object.fromEntries(keys.map((k, i) => [k, values[i] ?? 0]));
  }
  const body = keys.map((k, i) => `[${JSON.stringify(k)}]: v[${i}]`).join(', ');
  return new Function('v', `return { ${body} };`) as (values: readonly number[]) => Record<string, number>;
}

function sameBytes(bytes: Buffer, buf: Buffer, pos: number, length: number): boolean {
  if (bytes.length !== length) return false;
  for (let i = 0; i < length; i++) if (bytes[i] !== buf[pos + i]) return false;
  return true;
}

export interface JoinedDecoderOptions {
  /** Our reader type (schemas/joined-prediction.avsc). */
  readerType: avro.Type;
  /** The writer's type for a schema id (the registry client, cached). */
  writerType: (id: number) => Promise<avro.Type>;
  /** The generic decoder for everything else: other writer schemas, JSON, garbage (with its reasons). */
  fallback: (value: Buffer | null) => Promise<JoinedPrediction>;
}

/**
 * Decodes joined predictions: the fast reader when the writer schema has our canonical form, the generic
 * codec otherwise. Synchronous once a schema id is known, which saves a promise per record.
 */
export function joinedDecoder(
  o: JoinedDecoderOptions,
): (value: Buffer | null) => JoinedPrediction | Promise<JoinedPrediction> {
  const reader = new JoinedBodyReader();
  const ours = o.readerType.fingerprint().toString('hex');
  const fast = new Map<number, boolean>();
  const learn = async (id: number, value: Buffer): Promise<JoinedPrediction> => {
    const writer = await o.writerType(id).catch(() => undefined);
    if (writer) fast.set(id, writer.fingerprint().toString('hex') === ours);
    return fast.get(id) ? reader.read(value, HEADER_LENGTH) : o.fallback(value);
  };
  return (value) => {
    if (value === null || value.length < HEADER_LENGTH || value[0] !== 0) return o.fallback(value);
    const id = readSchemaId(value);
    const known = fast.get(id);
    if (known === undefined) return learn(id, value);
    return known ? reader.read(value, HEADER_LENGTH) : o.fallback(value);
  };
}
