/** Shared helpers of the performance tests: a seeded PRNG, tolerant comparison and fixture loading. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** The core's seeded PRNG (mulberry32), so synthetic test streams are the same on every run. */
export { mulberry32 as seededRandom } from '../../../../services/core/src/stats/random.ts';

/** Integer in [0, n). */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** |actual − expected| ≤ max(abs, rel·|expected|). */
export function expectClose(
  actual: number | undefined,
  expected: number,
  label = '',
  rel = 1e-9,
  abs = 1e-9,
): void {
  expect(actual, label).toBeTypeOf('number');
  const tolerance = Math.max(abs, rel * Math.abs(expected));
  const diff = Math.abs((actual ?? Number.NaN) - expected);
  expect(diff <= tolerance, `${label}: ${actual} vs ${expected} (diff ${diff} > ${tolerance})`).toBe(true);
}

/** Reads `test/fixtures/performance/<name>` (tests may do I/O; the library may not). */
export function loadFixture<T>(name: string): T {
  const url = new URL(`../../../fixtures/performance/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** Splits `items` into `parts` groups, each item going to a random part (order kept within a part). */
export function randomPartition<T>(items: readonly T[], parts: number, random: () => number): T[][] {
  const groups: T[][] = Array.from({ length: parts }, () => []);
  for (const item of items) groups[randomInt(random, parts)]?.push(item);
  return groups;
}
