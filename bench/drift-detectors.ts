/**
 * Throughput of the streaming drift detectors: updates/s over 1M values each.
 *
 *   npx tsx bench/drift-detectors.ts
 *
 * Streams are pre-generated (seeded) so the loop measures `update()` only. Each has an abrupt
 * shift every 100k values, so detectors go through drifts and resets as they would in service;
 * ADWIN's cost grows with its window (a few hundred to ~100k values here). Also prints the size of
 * one JSON checkpoint, the per-model cost of persisting a detector.
 */
import { createDetector } from '../services/core/src/drift/registry.ts';
import type { DetectorName } from '../services/core/src/drift/registry.ts';
import { mulberry32, normalGenerator } from '../services/core/src/stats/random.ts';

const N = 1_000_000;
const SEGMENT = 100_000;

function numericStream(): Float64Array {
  const rng = mulberry32(12345);
  const normal = normalGenerator(rng);
  return Float64Array.from({ length: N }, (_, i) => (Math.floor(i / SEGMENT) % 2) * 0.5 + 0.2 * normal());
}

function errorStream(): Float64Array {
  const rng = mulberry32(54321);
  // Error rate alternates between 10% and 25% every SEGMENT predictions.
  return Float64Array.from({ length: N }, (_, i) =>
    rng() < (Math.floor(i / SEGMENT) % 2 === 0 ? 0.1 : 0.25) ? 1 : 0,
  );
}

interface Result {
  readonly label: string;
  readonly perSecond: number;
  readonly drifts: number;
  readonly checkpointBytes: number;
}

function bench(
  label: string,
  name: DetectorName,
  params: Record<string, unknown>,
  values: Float64Array,
): Result {
  let best = Infinity;
  let drifts = 0;
  let checkpointBytes = 0;
  // One warm-up pass for the JIT, then the best of three.
  for (let round = 0; round < 4; round++) {
    const detector = createDetector(name, params);
    let fired = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      if (detector.update(values[i] as number).driftDetected) fired++;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (round > 0) best = Math.min(best, seconds);
    drifts = fired;
    checkpointBytes = JSON.stringify(detector).length;
  }
  return { label, perSecond: N / best, drifts, checkpointBytes };
}

function main(): void {
  const numeric = numericStream();
  const errors = errorStream();
  const results = [
    bench('adwin (defaults, clock=32)', 'adwin', {}, numeric),
    bench('adwin (clock=1)', 'adwin', { clock: 1 }, numeric),
    bench('adwin on 0/1 errors', 'adwin', {}, errors),
    bench('page_hinkley', 'page_hinkley', {}, numeric),
    bench('ddm on 0/1 errors', 'ddm', {}, errors),
    bench('no_drift', 'no_drift', {}, numeric),
  ];
  console.log(`drift detectors, ${N.toLocaleString('en-US')} updates each, Node ${process.version}`);
  for (const r of results) {
    const rate = `${(r.perSecond / 1e6).toFixed(2).padStart(7)} M updates/s`;
    console.log(
      `${r.label.padEnd(30)} ${rate}   drifts ${String(r.drifts).padStart(4)}   checkpoint ${r.checkpointBytes} B`,
    );
  }
}

main();
