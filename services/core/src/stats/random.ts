/**
 * Tiny seeded pseudo-random generators for reproducible tests, examples and
 * benchmarks. Not for cryptography.
 */

/** A generator of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * Mulberry32: a 32-bit state generator, fast and good enough for test data.
 *
 * @param seed - any integer; the same seed gives the same sequence
 * @example
 * const rng = mulberry32(42);
 * rng(); // 0.6011037519201636, always
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal variates by the Box–Muller transform.
 *
 * @param rng - a uniform generator
 * @example
 * const normal = normalGenerator(mulberry32(1));
 * normal(); // a N(0, 1) draw
 */
export function normalGenerator(rng: Rng): () => number {
  return () => {
    const u = 1 - rng();
    const v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}
