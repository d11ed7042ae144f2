/**
 * Throughput of ClassificationState.update with 10 classes and class scores (the per-event cost
 * of the performance monitor's state), plus the heap it uses. Run: npx tsx bench/performance-update.ts
 *
 * Events come from a pre-built pool of 10,000 (true, predicted, scores) triples, cycled, so the
 * loop measures the update and not the generation of random inputs.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { classificationMetrics } from '../services/core/src/performance/classification-metrics.ts';
import { ClassificationState } from '../services/core/src/performance/classification-state.ts';
import type { ClassScores } from '../services/core/src/performance/classification-state.ts';

const EVENTS = 1_000_000;
const POOL = 10_000;
const CLASSES = Array.from({ length: 10 }, (_, i) => `class-${i}`);

/** mulberry32, seeded, so every run sees the same events. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Event {
  readonly t: string;
  readonly p: string;
  readonly scores: ClassScores;
}

function makePool(): Event[] {
  const random = seeded(42);
  return Array.from({ length: POOL }, () => {
    const truth = Math.floor(random() * CLASSES.length);
    const raw = CLASSES.map((_, c) => random() + (c === truth ? 2 : 0));
    const sum = raw.reduce((a, b) => a + b, 0);
    const scores: Record<string, number> = {};
    let top = 0;
    CLASSES.forEach((label, c) => {
      scores[label] = (raw[c] ?? 0) / sum;
      if ((raw[c] ?? 0) > (raw[top] ?? 0)) top = c;
    });
    return { t: CLASSES[truth] ?? '', p: CLASSES[top] ?? '', scores };
  });
}

function run(pool: readonly Event[], events: number): { state: ClassificationState; seconds: number } {
  const state = new ClassificationState();
  const start = process.hrtime.bigint();
  for (let i = 0; i < events; i++) {
    const e = pool[i % POOL] as Event;
    state.update(e.t, e.p, e.scores);
  }
  return { state, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

// A real gc() without --expose-gc on the command line, so heap figures exclude garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const pool = makePool();
run(pool, 100_000); // warm-up: let the JIT settle before timing
gc();
const before = process.memoryUsage();
const heapBefore = before.heapUsed;
const { state, seconds } = run(pool, EVENTS);
const heapPeak = process.memoryUsage().heapUsed;
gc();
const after = process.memoryUsage();
const heapAfter = after.heapUsed;
// Histograms are Float64Arrays: their bytes live outside the JS heap, in arrayBuffers.
const stateBytes = heapAfter - heapBefore + (after.arrayBuffers - before.arrayBuffers);
const snapshotBytes = JSON.stringify(state.toJSON()).length;
const metricsStart = process.hrtime.bigint();
const metrics = classificationMetrics(state);
const metricsMs = Number(process.hrtime.bigint() - metricsStart) / 1e6;

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
console.log(
  `ClassificationState.update, ${CLASSES.length} classes with scores, ${EVENTS.toLocaleString('en')} events`,
);
console.log(
  `  ${Math.round(EVENTS / seconds).toLocaleString('en')} labeled events/s (${seconds.toFixed(3)} s)`,
);
console.log(
  `  heap used: ${mb(heapAfter)} MB after gc, ${mb(heapPeak)} MB before gc; ` +
    `the state retains ~${(stateBytes / 1024).toFixed(0)} KiB (heap + array buffers)`,
);
console.log(
  `  state snapshot: ${(snapshotBytes / 1024).toFixed(1)} KiB JSON; ${metrics.length} metrics in ${metricsMs.toFixed(2)} ms`,
);
