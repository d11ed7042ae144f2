/**
 * Small validators for `fromJSON`: each returns the typed value or throws
 * {@link InvalidStateJsonError} naming the JSON path, so a corrupt snapshot fails loudly.
 */
import { InvalidStateJsonError } from './errors.ts';

/** Narrows to a plain object. */
export function expectRecord(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidStateJsonError(path, 'an object');
  }
  return value as Record<string, unknown>;
}

/** Narrows to a finite number. */
export function expectFinite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidStateJsonError(path, 'a finite number');
  return value;
}

/** Narrows to a non-negative integer (a count or an index). */
export function expectCount(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidStateJsonError(path, 'a non-negative integer');
  }
  return value;
}

/** Narrows to an array. */
export function expectArray(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new InvalidStateJsonError(path, 'an array');
  return value;
}

/** Narrows to an array of exactly `length` finite numbers. */
export function expectNumbers(value: unknown, path: string, length: number): number[] {
  const array = expectArray(value, path);
  if (array.length !== length) throw new InvalidStateJsonError(path, `an array of length ${length}`);
  return array.map((item, i) => expectFinite(item, `${path}[${i}]`));
}

/** Narrows to an array of strings without duplicates. */
export function expectLabels(value: unknown, path: string): string[] {
  const array = expectArray(value, path);
  const labels = array.map((item, i) => {
    if (typeof item !== 'string') throw new InvalidStateJsonError(`${path}[${i}]`, 'a string');
    return item;
  });
  if (new Set(labels).size !== labels.length) throw new InvalidStateJsonError(path, 'distinct labels');
  return labels;
}

/**
 * Narrows to tuples of non-negative integers, one per entry of `bounds`, each below its bound
 * (e.g. `[bin, count]` with bounds `[bins, Infinity]`).
 */
export function expectIndexedCounts(value: unknown, path: string, bounds: readonly number[]): number[][] {
  return expectArray(value, path).map((entry, i) => {
    const tuple = expectArray(entry, `${path}[${i}]`);
    if (tuple.length !== bounds.length) {
      throw new InvalidStateJsonError(`${path}[${i}]`, `a tuple of ${bounds.length} integers`);
    }
    return tuple.map((item, j) => {
      const n = expectCount(item, `${path}[${i}][${j}]`);
      const bound = bounds[j] ?? Infinity;
      if (n >= bound) throw new InvalidStateJsonError(`${path}[${i}][${j}]`, `an integer < ${bound}`);
      return n;
    });
  });
}
