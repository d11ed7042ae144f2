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

/** Category → count, plus missing (null/undefined) count. */
export class CategoryCounts {
  readonly counts = new Map<string, number>();
  /** number of non-missing observations */
  n = 0;
  /** null and undefined seen */
  missing = 0;

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
    this.counts.set(category, (this.counts.get(category) ?? 0) + 1);
    this.n++;
  }

  /** Count of one category (0 when never seen). */
  count(category: string): number {
    return this.counts.get(category) ?? 0;
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
    for (const [k, c] of other.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + c);
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
      if (typeof k !== 'string' || !Number.isInteger(c) || (c as number) < 1 || out.counts.has(k)) {
        throw new StateFormatError(`bad category entry ${JSON.stringify(pair)}`);
      }
      out.counts.set(k, c as number);
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
