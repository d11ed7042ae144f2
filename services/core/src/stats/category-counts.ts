/**
 * Mergeable window state of one categorical feature: count per category plus
 * missing count. Merge is exact, associative and commutative (integer counts).
 */

import { StateFormatError } from './errors.ts';

/** JSON form of {@link CategoryCounts}: sorted [category, count] pairs. */
export interface CategoryCountsJSON {
  version: 1;
  counts: [string, number][];
  missing: number;
}

/** Cells of a CategoryCounts' cache of recent categories (a power of two). */
const RECENT_CELLS = 64;

/** Category → count, plus missing (null/undefined) count. */
export class CategoryCounts {
  /**
   * Each category's slot in `tallies`, in first-seen order: an update is one map lookup (a get, then a
   * slot increment), where a map of counts takes two (a get and a set), each hashing and comparing the
   * category's text again: a window's values are new strings from the decoder every time.
   */
  private readonly slots = new Map<string, number>();
  private readonly tallies: number[] = [];
  /**
   * A direct-mapped cache in front of `slots`: per cell (from the text's length and first and last
   * characters) the last category counted there and its slot. A new string from the decoder has no hash
   * yet, and the map would compute one over its text first; the cache compares it with one known text,
   * which for a column of a few dozen categories is nearly always the match.
   */
  private readonly recentKeys: (string | null)[] = new Array<string | null>(RECENT_CELLS).fill(null);
  private readonly recentSlots = new Int32Array(RECENT_CELLS);
  private view: Map<string, number> | null = null;
  /** number of non-missing observations */
  n = 0;
  /** null and undefined seen */
  missing = 0;

  /** Category → count, in first-seen order (a map made on demand; do not change it). */
  get counts(): ReadonlyMap<string, number> {
    if (this.view === null) {
      const view = new Map<string, number>();
      for (const [k, slot] of this.slots) view.set(k, this.tallies[slot] as number);
      this.view = view;
    }
    return this.view;
  }

  /**
   * Add one observation; null and undefined count as missing. Numbers or
   * booleans must be turned into strings by the caller (so "1" and 1 never split).
   *
   * @param category - the category
   * @example
   * const c = new CategoryCounts();
   * c.update('red'); c.update(null); // n = 1, missing = 1
   */
  update(category: string | null | undefined): void {
    if (category === null || category === undefined) {
      this.missing++;
      return;
    }
    this.add(category, 1);
    this.n++;
  }

  /**
   * Adds values[from … to − 1] in order, as `update` on each: null and undefined count as missing, any
   * other value that is not a string counts by its text (String(value)), so "1" and 1 never split.
   */
  updateMany(values: readonly unknown[], from: number, to: number): void {
    for (let r = from; r < to; r++) {
      const v = values[r];
      if (typeof v === 'string') this.add(v, 1);
      else if (v === null || v === undefined) {
        this.missing++;
        continue;
      } else this.add(String(v), 1);
      this.n++;
    }
  }

  private add(category: string, count: number): void {
    const length = category.length;
    const cell =
      length === 0
        ? 0
        : (length + 7 * category.charCodeAt(0) + 31 * category.charCodeAt(length - 1)) & (RECENT_CELLS - 1);
    let slot: number | undefined;
    if (this.recentKeys[cell] === category) slot = this.recentSlots[cell] as number;
    else {
      slot = this.slots.get(category);
      if (slot === undefined) {
        slot = this.tallies.length;
        this.slots.set(category, slot);
        this.tallies.push(0);
      }
      this.recentKeys[cell] = category;
      this.recentSlots[cell] = slot;
    }
    this.tallies[slot] = (this.tallies[slot] as number) + count;
    this.view = null;
  }

  /** Count of one category (0 when never seen). */
  count(category: string): number {
    const slot = this.slots.get(category);
    return slot === undefined ? 0 : (this.tallies[slot] as number);
  }

  /** Total of observations, missing included. */
  get total(): number {
    return this.n + this.missing;
  }

  /**
   * Fold another state into this one.
   *
   * @param other - another CategoryCounts
   */
  merge(other: CategoryCounts): this {
    for (const [k, c] of other.counts) this.add(k, c);
    this.n += other.n;
    this.missing += other.missing;
    return this;
  }

  /** An independent copy. */
  clone(): CategoryCounts {
    return new CategoryCounts().merge(this);
  }

  toJSON(): CategoryCountsJSON {
    const counts = [...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return { version: 1, counts, missing: this.missing };
  }

  /**
   * Restore from {@link CategoryCounts.toJSON}.
   *
   * @param json - the persisted form
   * @throws {StateFormatError} malformed state (not retriable)
   */
  static fromJSON(json: CategoryCountsJSON): CategoryCounts {
    if (json?.version !== 1 || !Array.isArray(json.counts)) {
      throw new StateFormatError(`unsupported category counts (version ${String(json?.version)})`);
    }
    const out = new CategoryCounts();
    for (const pair of json.counts) {
      const [k, c] = Array.isArray(pair) ? pair : [];
      if (typeof k !== 'string' || !Number.isInteger(c) || (c as number) < 1 || out.slots.has(k)) {
        throw new StateFormatError(`bad category entry ${JSON.stringify(pair)}`);
      }
      out.add(k, c as number);
      out.n += c as number;
    }
    if (!Number.isInteger(json.missing) || json.missing < 0)
      throw new StateFormatError('missing must be a count');
    out.missing = json.missing;
    return out;
  }
}

/**
 * Align two category states on the sorted union of their categories, for PSI
 * and Jensen–Shannon.
 *
 * @param reference - reference counts
 * @param window - window counts
 * @example
 * alignCategories(ref, win); // { categories: ['a','b'], reference: [3, 0], window: [1, 2] }
 */
export function alignCategories(
  reference: CategoryCounts,
  window: CategoryCounts,
): { categories: string[]; reference: Float64Array; window: Float64Array } {
  const keys = new Set<string>([...reference.counts.keys(), ...window.counts.keys()]);
  const categories = [...keys].sort();
  return {
    categories,
    reference: Float64Array.from(categories, (k) => reference.count(k)),
    window: Float64Array.from(categories, (k) => window.count(k)),
  };
}
