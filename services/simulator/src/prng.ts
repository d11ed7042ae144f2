import type { Rng } from '../../core/src/stats/random.ts';

/** Seeded uniform numbers in [0, 1): the core's mulberry32, so simulated traffic is reproducible. */
export { mulberry32 as seededRandom } from '../../core/src/stats/random.ts';

/** One standard normal draw (Box-Muller), consuming two uniforms. */
export function normal(random: Rng): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
