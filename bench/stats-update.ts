/**
 * Micro-benchmark of the drift-statistics hot path.
 *
 *   npx tsx bench/stats-update.ts
 *
 * Prints values/s for NumericHistogram.update and CategoryCounts.update over 10M
 * values, and the time for the registry to run every applicable test on 20
 * features (from histograms, and exactly from raw samples).
 */

import { CategoryCounts } from '../services/core/src/stats/category-counts.ts';
import { NumericHistogram } from '../services/core/src/stats/numeric-histogram.ts';
import { mulberry32, normalGenerator } from '../services/core/src/stats/random.ts';
import { referenceBins } from '../services/core/src/stats/reference-bins.ts';
import { STAT_TEST_NAMES, getStatTest, runStatTest } from '../services/core/src/stats/registry.ts';
import type { Column } from '../services/core/src/stats/stattest-types.ts';

const N = 10_000_000;
const rng = mulberry32(12345);
const normal = normalGenerator(rng);

function rate(label: string, count: number, run: () => void): void {
  run(); // warm-up pass (JIT)
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const best = Math.min(...times);
  console.log(
    `${label.padEnd(52)} ${(count / best / 1e6).toFixed(1).padStart(6)} M values/s  (${best.toFixed(3)} s)`,
  );
}

function numericBench(bins: number): void {
  const reference = Float64Array.from({ length: 100_000 }, () => 50 + 10 * normal());
  const spec = referenceBins(reference, bins);
  const values = Float64Array.from({ length: N }, () => (rng() < 0.01 ? Number.NaN : 50 + 10 * normal()));
  let h = new NumericHistogram(spec);
  rate(`NumericHistogram.update, ${spec.edges.length + 1} bins, 1% NaN`, N, () => {
    h = new NumericHistogram(spec);
    for (let i = 0; i < N; i++) h.update(values[i]);
  });
  if (h.n + h.missing !== N) throw new Error('lost values');
}

function categoryBench(cardinality: number): void {
  const names = Array.from({ length: cardinality }, (_, i) => `category-${i}`);
  const values = Array.from({ length: N }, () =>
    rng() < 0.01 ? null : (names[Math.floor(rng() ** 2 * cardinality)] as string),
  );
  let c = new CategoryCounts();
  rate(`CategoryCounts.update, ${cardinality} categories, 1% null`, N, () => {
    c = new CategoryCounts();
    for (let i = 0; i < N; i++) c.update(values[i]);
  });
  if (c.total !== N) throw new Error('lost values');
}

function features(nRef: number, nWin: number, withSamples: boolean): Column[] {
  const out: Column[] = [];
  for (let f = 0; f < 14; f++) {
    const reference = Float64Array.from({ length: nRef }, () => normal());
    const window = Float64Array.from({ length: nWin }, () => normal() * (1 + f * 0.02) + f * 0.01);
    const spec = referenceBins(reference, 20);
    const r = new NumericHistogram(spec);
    const w = new NumericHistogram(spec);
    reference.forEach((v) => r.update(v));
    window.forEach((v) => w.update(v));
    out.push(
      withSamples
        ? { type: 'numeric', reference: r, window: w, referenceSample: reference, windowSample: window }
        : { type: 'numeric', reference: r, window: w },
    );
  }
  for (let f = 0; f < 6; f++) {
    const r = new CategoryCounts();
    const w = new CategoryCounts();
    for (let i = 0; i < nRef; i++) r.update(`c${Math.floor(rng() ** 2 * 30)}`);
    for (let i = 0; i < nWin; i++) w.update(`c${Math.floor(rng() ** (2 + f * 0.1) * 31)}`);
    out.push({ type: 'categorical', reference: r, window: w });
  }
  return out;
}

function registryBench(label: string, columns: Column[]): void {
  const runAll = (): number => {
    let results = 0;
    for (const column of columns) {
      for (const name of STAT_TEST_NAMES) {
        if (!getStatTest(name).featureTypes.includes(column.type)) continue;
        if (runStatTest(name, column).kind === 'result') results++;
      }
    }
    return results;
  };
  const count = runAll();
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = process.hrtime.bigint();
    runAll();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(52)} ${(times[2] as number).toFixed(2).padStart(8)} ms median  (${count} test results)`,
  );
}

console.log(
  `node ${process.version}, ${N.toLocaleString('en')} values per update run, best of 3 after warm-up`,
);
numericBench(20);
numericBench(100);
categoryBench(50);
categoryBench(1000);
console.log('registry: all applicable tests on 20 features (14 numeric × 4 tests, 6 categorical × 3 tests)');
registryBench('  binned, reference 100k / window 10k', features(100_000, 10_000, false));
registryBench('  binned, reference 1M / window 1M', features(1_000_000, 1_000_000, false));
registryBench('  exact from samples, reference 1000 / window 500', features(1000, 500, true));
registryBench('  exact from samples, reference 5000 / window 5000', features(5000, 5000, true));
