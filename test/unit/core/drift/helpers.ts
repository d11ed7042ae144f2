/** Shared helpers for the drift detector tests: seeded streams, fixture loading, replay. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { AnyDriftDetector } from '../../../../services/core/src/drift/detector.ts';

const FIXTURE_DIR = fileURLToPath(new URL('../../../fixtures/drift/', import.meta.url));

/** One River run recorded by test/fixtures/generate/drift_reference.py. */
export interface FixtureRun {
  readonly detector: 'adwin' | 'page_hinkley' | 'ddm';
  /** River's (snake_case) parameters, defaults included. */
  readonly params: Record<string, number | string>;
  readonly drifts: readonly number[];
  readonly warnings?: readonly number[];
  /** River's internal state after the last value, named as our snapshots name it. */
  readonly final: Record<string, number | null>;
}

export interface Fixture {
  readonly file: string;
  readonly provenance: { readonly river: string };
  readonly values: readonly number[];
  readonly runs: readonly FixtureRun[];
}

export function loadFixture(file: string): Fixture {
  const raw = JSON.parse(readFileSync(FIXTURE_DIR + file, 'utf8')) as Omit<Fixture, 'file'>;
  return { ...raw, file };
}

/** Every River detector fixture in the folder (other drift fixtures, such as the multivariate one, have no runs). */
export function allFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map(loadFixture)
    .filter((fixture) => Array.isArray(fixture.runs));
}

/** Every (fixture, run) pair for one detector, labelled for `it.each`. */
export function runsFor(
  detector: FixtureRun['detector'],
): { label: string; fixture: Fixture; run: FixtureRun }[] {
  return allFixtures().flatMap((fixture) =>
    fixture.runs
      .filter((run) => run.detector === detector)
      .map((run) => ({ label: `${fixture.file} ${JSON.stringify(run.params)}`, fixture, run })),
  );
}

/** River's snake_case params → ours (`max_buckets` → `maxBuckets`). */
export function camelParams(params: Record<string, number | string>): Record<string, number | string> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]),
  );
}

export interface Replay {
  readonly drifts: number[];
  readonly warnings: number[];
}

/** Feed `values` (from index `from`) and collect the indices where drift / warning was signalled. */
export function replay(detector: AnyDriftDetector, values: readonly number[], from = 0): Replay {
  const drifts: number[] = [];
  const warnings: number[] = [];
  for (let i = from; i < values.length; i++) {
    detector.update(values[i] as number);
    if (detector.driftDetected) drifts.push(i);
    if ('warningDetected' in detector && detector.warningDetected === true) warnings.push(i);
  }
  return { drifts, warnings };
}

/** The core's seeded PRNG (mulberry32), so synthetic test streams are the same on every run. */
export { mulberry32 as seededRandom } from '../../../../services/core/src/stats/random.ts';

/** Normal draws (Box–Muller), rounded to 4 decimals like the fixtures. */
export function normalStream(rand: () => number, mean: number, sd: number, n: number): number[] {
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return Math.round((mean + sd * z) * 1e4) / 1e4;
  });
}

/** 0/1 draws with P(1) = rate. */
export function bernoulliStream(rand: () => number, rate: number, n: number): (0 | 1)[] {
  return Array.from({ length: n }, () => (rand() < rate ? 1 : 0));
}

/** A JSON round trip, as a checkpoint in a store would do. */
export function viaJson(detector: AnyDriftDetector): unknown {
  return JSON.parse(JSON.stringify(detector.toJSON())) as unknown;
}
