// Benchmark (not a test) of the per-event Prometheus observations: npm run bench -- model-metrics
// (or npx tsx bench/model-metrics.ts [events=1000000])
// The drift monitor observes every inference event's confidence and latency in per-model histograms
// (ModelMetrics.inference, three models); the label joiner every joined pair's label delay (its histogram and
// the model's quantile sketch: observeLabelDelay). Each against prom-client's Histogram observed with its label
// object, which hashes the labels at every call (what both services did before
// core/metrics/series-histogram.ts). Rounds alternate the passes; each pass's least CPU time is its cost (a
// neighbour's load only adds).
import { Counter, Histogram, Registry } from 'prom-client';
import { ModelMetrics } from '../services/core/src/metrics/model-metrics.ts';
import { DelaySketch } from '../services/label-joiner/src/delay-sketch.ts';
import { createJoinerMetrics } from '../services/label-joiner/src/joiner-metrics.ts';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 5;
const MODELS = ['model-0', 'model-1', 'model-2'];
const CONFIDENCE = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1];
const LATENCY = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const confidence = (i: number) => 0.5 + (i % 50) / 100;
const latencyMs = (i: number) => i % 40;

/** prom-client's Histogram, observed as the drift monitor did before: a label object per call. */
function promClientInference(): (i: number) => void {
  const registers = [new Registry()];
  const labelNames = ['model_id', 'model_version'];
  const c = new Histogram({ name: 'c', help: 'c', labelNames, buckets: CONFIDENCE, registers });
  const l = new Histogram({ name: 'l', help: 'l', labelNames, buckets: LATENCY, registers });
  return (i) => {
    const labels = { model_id: MODELS[i % 3]!, model_version: 'v1' };
    c.observe(labels, confidence(i));
    l.observe(labels, latencyMs(i) / 1000);
  };
}

function ourInference(): (i: number) => void {
  const metrics = new ModelMetrics(new Registry(), 50);
  return (i) =>
    metrics.inference(MODELS[i % 3]!, 'v1', { confidence: confidence(i), latencyMs: latencyMs(i) });
}

const DELAY = [1, 10, 60, 300, 900, 3600, 4 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400];

/** The joiner's label delay as it was: prom-client's Histogram with a label object, and the model's sketch. */
function promClientDelay(): (i: number) => void {
  const h = new Histogram({ name: 'd', help: 'd', labelNames: ['model_id'], buckets: DELAY, registers: [] });
  const sketches = new Map(MODELS.map((m) => [m, new DelaySketch()]));
  return (i) => {
    const model = MODELS[i % 3]!;
    h.observe({ model_id: model }, i % 100);
    sketches.get(model)!.add(i % 100);
  };
}

/** The joiner's own metrics (its histogram of series handles and the model's sketch). */
function ourDelay(): (i: number) => void {
  const registry = new Registry();
  const deadLetters = new Counter({ name: 'x', help: 'x', labelNames: ['topic', 'reason'], registers: [] });
  const metrics = createJoinerMetrics(registry, deadLetters);
  return (i) => metrics.observeLabelDelay(MODELS[i % 3]!, i % 100);
}

/** CPU ns per event of `observe` over EVENTS events. */
function time(observe: (i: number) => void): number {
  const before = process.cpuUsage();
  for (let i = 0; i < EVENTS; i++) observe(i);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) * 1000) / EVENTS;
}

const passes = {
  'inference event, prom-client': promClientInference,
  'inference event, ModelMetrics': ourInference,
  'label delay, prom-client': promClientDelay,
  'label delay, joiner metrics': ourDelay,
};
const best = new Map<string, number>();
for (let round = 0; round < ROUNDS; round++)
  for (const [name, make] of Object.entries(passes)) {
    const ns = time(make());
    best.set(name, Math.min(best.get(name) ?? Infinity, ns));
  }
console.log(`${EVENTS} events, best of ${ROUNDS} rounds, CPU ns per event`);
for (const [name, ns] of best) console.log(`${name.padEnd(34)}${ns.toFixed(0).padStart(8)}`);
const ratio = (a: string, b: string) => (best.get(a)! / best.get(b)!).toFixed(1);
console.log(
  `prom-client / ours: inference ${ratio('inference event, prom-client', 'inference event, ModelMetrics')}x, label delay ${ratio('label delay, prom-client', 'label delay, joiner metrics')}x`,
);
