/**
 * Validation and sorting of raw samples for the exact (sample-based) tests.
 */

import { EmptySampleError, InvalidSampleError } from './errors.ts';

/**
 * Copy a sample into a sorted Float64Array, rejecting empty samples and
 * non-finite values (missing values are the caller's business: drop them first,
 * see {@link finiteValues}).
 *
 * @param values - the sample
 * @param name - the sample's name for error messages
 * @throws {EmptySampleError} no values (not retriable)
 * @throws {InvalidSampleError} a NaN or ±Infinity (not retriable)
 * @example
 * sortedSample([3, 1, 2], 'reference'); // Float64Array [1, 2, 3]
 */
export function sortedSample(values: ArrayLike<number>, name: string): Float64Array {
  if (values.length === 0) throw new EmptySampleError(name);
  const out = Float64Array.from(values);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) throw new InvalidSampleError(name, `value at index ${i} is ${out[i]}`);
  }
  return out.sort();
}

/**
 * The finite numbers of a sample, dropping null, undefined, NaN and ±Infinity
 * (the values a NumericHistogram counts as missing).
 *
 * @param values - raw values
 * @example
 * finiteValues([1, null, NaN, 2]); // Float64Array [1, 2]
 */
export function finiteValues(values: ArrayLike<number | null | undefined>): Float64Array {
  // Count, then fill: no intermediate array of boxed numbers (a reference column has 100,000s of values).
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && v - v === 0) n++;
  }
  const out = new Float64Array(n);
  for (let i = 0, at = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && v - v === 0) out[at++] = v;
  }
  return out;
}
