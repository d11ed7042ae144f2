/**
 * The raw values of a window, kept while there are few enough of them, so that sample tests (KS) can be
 * exact on small windows. Mergeable: two complete samples whose union fits stay complete (their union is
 * the concatenation); otherwise the merged sample is incomplete and the caller falls back to the binned
 * tests. Memory is bounded by `capacity` values (8 bytes each), grown by doubling.
 */

import { StateFormatError } from './errors.ts';

const FIRST_CAPACITY = 16;

/** A sample of finite values holding every value seen, up to `capacity` values, or none (incomplete). */
export class BoundedSample {
  private buffer: Float64Array | null;
  private size = 0;

  /**
   * @param capacity - most values kept; 0 keeps none (the sample is incomplete from its first value)
   * @example
   * const s = new BoundedSample(2); s.add(1); s.add(2); s.complete; // true; s.add(3); s.complete; // false
   */
  constructor(readonly capacity: number) {
    this.buffer = new Float64Array(Math.min(capacity, FIRST_CAPACITY));
  }

  /** Adds a value; NaN and ±Infinity are ignored (missing values are counted by the histogram). */
  add(x: number): void {
    const b = this.buffer;
    if (b === null || x - x !== 0) return;
    if (this.size === b.length) {
      if (this.size >= this.capacity) {
        this.buffer = null;
        return;
      }
      this.grow(Math.min(this.capacity, this.size * 2));
      (this.buffer as unknown as Float64Array)[this.size++] = x;
      return;
    }
    b[this.size++] = x;
  }

  /** Adds values[from … to − 1] in order, as `add` on each; returns at once when already incomplete. */
  addMany(values: Float64Array, from: number, to: number): void {
    for (let r = from; r < to && this.buffer !== null; r++) this.add(values[r] as number);
  }

  private grow(to: number): void {
    const next = new Float64Array(Math.max(to, FIRST_CAPACITY));
    if (this.buffer !== null) next.set(this.buffer.subarray(0, this.size));
    this.buffer = next;
  }

  /** True while every value added (or merged) is held. */
  get complete(): boolean {
    return this.buffer !== null;
  }

  /** Values held, in arrival order; empty when incomplete. */
  get length(): number {
    return this.buffer === null ? 0 : this.size;
  }

  /** A view of the values (valid until the next add or merge); null when incomplete. */
  values(): Float64Array | null {
    return this.buffer === null ? null : this.buffer.subarray(0, this.size);
  }

  /** Folds another sample in: complete only when both are and their union fits the capacity. */
  merge(other: BoundedSample): this {
    const theirs = other.values();
    if (this.buffer === null) return this;
    if (theirs === null || this.size + theirs.length > this.capacity) {
      this.buffer = null;
      return this;
    }
    if (this.size + theirs.length > this.buffer.length) this.grow(this.size + theirs.length);
    (this.buffer as Float64Array).set(theirs, this.size);
    this.size += theirs.length;
    return this;
  }

  /** The values, or null when incomplete. */
  toJSON(): number[] | null {
    const v = this.values();
    return v === null ? null : Array.from(v);
  }

  /**
   * Restores a sample; `null` or `undefined` (a state written without values) is incomplete unless
   * `empty` says the state held no value at all.
   * @throws {StateFormatError} values that are not finite numbers (not retriable)
   */
  static fromJSON(values: number[] | null | undefined, capacity: number, empty = false): BoundedSample {
    const s = new BoundedSample(capacity);
    if (values === null || values === undefined) {
      if (!empty) s.buffer = null;
      return s;
    }
    if (!Array.isArray(values) || !values.every(Number.isFinite))
      throw new StateFormatError('sample values must be finite numbers');
    if (values.length > capacity) {
      s.buffer = null;
      return s;
    }
    s.grow(values.length);
    (s.buffer as Float64Array).set(values);
    s.size = values.length;
    return s;
  }
}
