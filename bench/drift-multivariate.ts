/**
 * Benchmark of multivariate and embedding drift in the drift monitor, on one core (CPU time of this process).
 *
 *   npx tsx bench/drift-multivariate.ts        (or `npm run bench -- drift-multivariate`)
 *
 * 1. 50 numeric features under multivariate drift (pairs of features whose correlation flips, marginals
 *    unchanged): events/s through the phase-1 processor (window assignment, update of every feature's
 *    histogram, raw values for exact KS and the PCA reconstruction error), with and without the
 *    profile's multivariate part; the profile build (PCA + 10 cross-fitted PCAs) and one window close.
 * 2. A 384-dimensional embedding (and one numeric feature), its mean shifted along 3 directions: events/s
 *    through the same processor (sum + 64 random Fourier features per event); the profile build with its
 *    permutation calibration; one window close.
 * 3. Verdicts of the reconstruction-error band on seeded streams (6 features, x0-x1 correlated 0.8; 6
 *    references of 5,000 events x 40 windows of 500 per row): the service's band (held-out errors, sized to
 *    the window) against NannyML's (in-sample reference chunks' mean ± 3 sd), stationary and after the
 *    correlation moved to 0.5 and to -0.8.
 * 4. Verdicts of the embedding's MMD (calibrated at a 1% false-alarm rate) on 3 references of 3,000 vectors x
 *    100 windows of 200 vectors: stationary, and with the mean moved along a direction.
 * Goal: >= 10,000 events/s per core for each.
 */
import type { InferenceEvent } from '../services/core/src/records/records.generated.ts';
import { mulberry32, normalGenerator } from '../services/core/src/stats/random.ts';
import { TumblingWindows } from '../services/core/src/windows/tumbling-windows.ts';
import { parseTestThresholds } from '../services/drift-monitor/src/feature-tests.ts';
import { PartitionProcessor } from '../services/drift-monitor/src/processor.ts';
import { ProfileBuilder } from '../services/drift-monitor/src/profile-builder.ts';
import type { ReferenceProfile } from '../services/drift-monitor/src/profile.ts';
import { evaluateWindow, type DriftTestConfig } from '../services/drift-monitor/src/window-evaluation.ts';
import { WindowPartial } from '../services/drift-monitor/src/window-partials.ts';
import { evaluateMultivariate } from '../services/drift-monitor/src/multivariate-evaluation.ts';

const NUMERIC = 50;
const DIM = 384;

/** 50 features: 25 pairs, each correlated `rho` (a flipped sign keeps every marginal N(0, 1)). */
function numericEvents(n: number, seed: number, rho: number): InferenceEvent[] {
  const normal = normalGenerator(mulberry32(seed));
  return Array.from({ length: n }, (_, i) => {
    const features: InferenceEvent['features'] = {};
    for (let p = 0; p < NUMERIC / 2; p++) {
      const a = normal();
      features[`x${2 * p}`] = a;
      features[`x${2 * p + 1}`] = rho * a + Math.sqrt(1 - rho * rho) * normal();
    }
    return event(seed, i, features);
  });
}

function event(seed: number, i: number, features: InferenceEvent['features']): InferenceEvent {
  return {
    prediction_id: `${seed}-${i}`,
    model_id: 'm',
    model_version: 'v1',
    timestamp: i * 10,
    features,
    prediction: { label: i % 2 ? 'a' : 'b', scores: null, value: null },
  };
}

const space = normalGenerator(mulberry32(99));
const center = Array.from({ length: DIM }, () => 0.3 * space());
const spread = Array.from({ length: DIM }, (_, d) => 0.1 + 0.9 * Math.exp(-d / 40));
const direction = Array.from({ length: DIM }, () => space() / Math.sqrt(DIM));

function embeddingEvents(n: number, seed: number, shift: number): InferenceEvent[] {
  const normal = normalGenerator(mulberry32(seed));
  return Array.from({ length: n }, (_, i) => {
    const text = center.map((c, d) => c + spread[d]! * normal() + shift * direction[d]!);
    return { ...event(seed, i, { x0: normal() }), embeddings: { text: Array.from(Float32Array.from(text)) } };
  });
}

function cpu(run: () => void): number {
  const c0 = process.cpuUsage();
  run();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/** Best of 3 after a warm-up, CPU seconds. */
function best(run: () => void): number {
  run();
  return Math.min(cpu(run), cpu(run), cpu(run));
}

function build(reference: InferenceEvent[]): { profile: ReferenceProfile; seconds: number } {
  let profile: ReferenceProfile | undefined;
  const seconds = cpu(() => {
    const b = new ProfileBuilder();
    reference.forEach((e) => b.add(e));
    profile = b.build({ modelId: 'm', modelVersion: 'v1', source: 'bench', createdAt: 0 }).profile;
  });
  return { profile: profile!, seconds };
}

const windows = TumblingWindows.ofSizeAndGrace(60_000, 5_000);
let sink = 0;

function eventsPerSecond(profile: ReferenceProfile, events: InferenceEvent[]): number {
  const messages = events.map((e, offset) => ({ offset, event: e }));
  const s = best(() => {
    sink += new PartitionProcessor(0, windows).process(messages, () => profile).applied;
  });
  return events.length / s;
}

const thresholds = parseTestThresholds('');
if (!thresholds.ok) throw new Error(thresholds.error);
const config: DriftTestConfig = {
  thresholds: thresholds.value,
  featureTests: new Map(),
  largeWindow: 1000,
  correction: 'bh',
  driftShare: 0.5,
  missingAlpha: 0.001,
  unseenShare: 0.05,
};

/** Close cost: parse a stored partial of `n` events, evaluate every test; ms per window. */
function closeMs(profile: ReferenceProfile, events: InferenceEvent[]): { ms: number; drifted: string } {
  const w = new WindowPartial(profile);
  events.forEach((e) => w.update(e));
  const stored = JSON.stringify(w.toJSON());
  let drifted = '';
  const s = best(() => {
    const e = evaluateWindow(profile, WindowPartial.fromJSON(profile, JSON.parse(stored)), config);
    drifted = `multivariate ${e.multivariate?.drifted ?? '-'}, embeddings ${e.embeddings.map((x) => x.drifted).join(',') || '-'}, features drifted ${e.dataset.driftedFeatures.length}`;
  });
  return { ms: s * 1000, drifted };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en');
console.log(`node ${process.version}; CPU time of this process, best of 3 after a warm-up`);

const numeric = build(numericEvents(10_000, 1, 0.8));
const drifting = numericEvents(100_000, 2, -0.8);
const withPca = eventsPerSecond(numeric.profile, drifting);
const withoutPca = eventsPerSecond({ ...numeric.profile, multivariate: undefined }, drifting);
const numericClose = closeMs(numeric.profile, drifting.slice(0, 5000));
console.log(
  `50 numeric features, 10,000-event reference: profile build ${numeric.seconds.toFixed(2)} s (PCA keeps ${numeric.profile.multivariate!.reconstruction.k} components)`,
);
console.log(`  phase 1 under multivariate drift, with the reconstruction error:    ${fmt(withPca)} events/s`);
console.log(
  `  phase 1, same events, univariate states only (no multivariate part): ${fmt(withoutPca)} events/s`,
);
console.log(`  close of a 5,000-event window: ${numericClose.ms.toFixed(1)} ms (${numericClose.drifted})`);

const embedding = build(embeddingEvents(3000, 3, 0));
const shifted = embeddingEvents(20_000, 4, 0.5);
const embeddingRate = eventsPerSecond(embedding.profile, shifted);
const embeddingClose = closeMs(embedding.profile, shifted.slice(0, 1000));
console.log(
  `384-d embedding, 3,000-vector reference: profile build with calibration ${embedding.seconds.toFixed(2)} s`,
);
console.log(
  `  phase 1, embedding shifted along a direction:                       ${fmt(embeddingRate)} events/s`,
);
console.log(
  `  close of a 1,000-event window: ${embeddingClose.ms.toFixed(1)} ms (${embeddingClose.drifted})`,
);

/** Six features: x0, x1 correlated `rho`, the rest independent. */
function pairEvents(n: number, seed: number, rho: number): InferenceEvent[] {
  const normal = normalGenerator(mulberry32(seed));
  return Array.from({ length: n }, (_, i) => {
    const x0 = normal();
    const features: InferenceEvent['features'] = { x0, x1: rho * x0 + Math.sqrt(1 - rho * rho) * normal() };
    for (let f = 2; f < 6; f++) features[`x${f}`] = normal();
    return event(seed, i, features);
  });
}

console.log(
  'reconstruction-error verdicts, 6 references x 40 windows of 500 events per row (flagged / windows):',
);
for (const rho of [0.8, 0.5, -0.8]) {
  let service = 0;
  let nannyml = 0;
  let total = 0;
  for (let r = 0; r < 6; r++) {
    const { profile } = build(pairEvents(5000, 1000 + r, 0.8));
    for (let w = 0; w < 40; w++) {
      const partial = new WindowPartial(profile);
      pairEvents(500, 5000 + 100 * r + w, rho).forEach((e) => partial.update(e));
      const v = evaluateMultivariate(profile, partial)!;
      total += 1;
      if (v.drifted) service += 1;
      if (!(v.meanError > v.nannyml.lower && v.meanError < v.nannyml.upper)) nannyml += 1;
    }
  }
  const label = rho === 0.8 ? 'stationary (0.8)' : `correlation 0.8 -> ${rho}`;
  console.log(`  ${label.padEnd(24)} service band ${service}/${total}   NannyML band ${nannyml}/${total}`);
}

console.log(
  'embedding verdicts (mmd), 3 references x 100 windows of 200 vectors per row (flagged / windows):',
);
for (const shift of [0, 0.25, 0.5]) {
  let flagged = 0;
  let total = 0;
  for (let r = 0; r < 3; r++) {
    const { profile } = build(embeddingEvents(3000, 2000 + r, 0));
    for (let w = 0; w < 100; w++) {
      const partial = new WindowPartial(profile);
      embeddingEvents(200, 7000 + 100 * r + w, shift).forEach((e) => partial.update(e));
      total += 1;
      if (evaluateWindow(profile, partial, config).embeddings[0]!.drifted) flagged += 1;
    }
  }
  const label = shift === 0 ? 'stationary' : `mean moved by ${shift}`;
  console.log(`  ${label.padEnd(24)} ${flagged}/${total}`);
}
if (sink < 0) console.log(sink);
