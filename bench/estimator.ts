// Benchmark (not a test) of the estimator's processing of the inference topic, 3 classes with class scores and
// 10 features per event: npm run bench -- estimator
// (or node --import tsx --expose-gc bench/estimator.ts [events=200000])
// Per batch of 5,000 Avro values (Confluent wire format) the estimator decodes every value, then either
//   without estimation: the version has no calibration yet, so each event is only counted (uncalibrated), or
//   with estimation: each event is calibrated and added to its window's state, and the touched windows'
//     partial rows are serialised as they are written to ClickHouse.
// Per batch the CPU time of decoding and of processing is taken apart; over rounds alternating the two passes,
// each part's least time is its cost (a neighbour's load only adds). Events per CPU second of each pass, and the
// ratio (goal: estimation costs at most 10%). No servers: the writer schema comes from schemas/ (the registry
// lookup is cached after the first value in the service too).
import avro from 'avsc';
import { CalibrationCounts } from '../services/core/src/performance/isotonic-calibration.ts';
import type { InferenceEvent } from '../services/core/src/records/records.generated.ts';
import { readSchema } from '../services/core/src/records/schema-files.ts';
import { createCodecs } from '../services/core/src/serde/codecs.ts';
import { withHeader } from '../services/core/src/serde/wire-format.ts';
import { mulberry32, normalGenerator } from '../services/core/src/stats/random.ts';
import { TumblingWindows } from '../services/core/src/windows/tumbling-windows.ts';
import { partialRow } from '../services/estimator/src/estimate-stage.ts';
import { PartitionEstimator, type DecodedInference } from '../services/estimator/src/processor.ts';

const EVENTS = Number(process.argv[2] ?? 200_000);
const BATCH = 5000;
// Each round runs both passes, in alternating order.
const ROUNDS = 5;
const CLASSES = ['a', 'b', 'c'];
const T0 = Date.parse('2026-06-01T00:00:00Z');
const type = avro.Type.forSchema(readSchema('InferenceEvent') as avro.Schema);
const codecs = createCodecs({ writerType: async () => type });

function events(n: number): InferenceEvent[] {
  const rng = mulberry32(42);
  const normal = normalGenerator(rng);
  return Array.from({ length: n }, (_, i) => {
    const features: Record<string, number> = {};
    for (let f = 0; f < 10; f++) features[`x${f}`] = normal();
    const logits = CLASSES.map((_, c) => features[`x${c}`]! * 1.5);
    const e = logits.map(Math.exp);
    const sum = e.reduce((a, v) => a + v, 0);
    const scores = Object.fromEntries(CLASSES.map((c, k) => [c, e[k]! / sum]));
    const label = CLASSES[e.indexOf(Math.max(...e))]!;
    return {
      prediction_id: `p-${i}`,
      model_id: 'churn',
      model_version: 'v1',
      timestamp: T0 + i * 10,
      features,
      prediction: { label, scores, value: null },
    };
  });
}

function calibration(sample: InferenceEvent[]) {
  const counts = new CalibrationCounts();
  const rng = mulberry32(7);
  for (const e of sample) {
    const s = e.prediction.scores!;
    let u = rng();
    const truth = CLASSES.find((c) => (u -= s[c]!) < 0) ?? 'c';
    counts.update(s, truth);
  }
  return counts.fit();
}

/** CPU seconds (not wall: the machine is shared, a wall clock would measure the neighbours) spent in `f`. */
async function cpu(f: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** One pass over the values: CPU seconds decoding, and processing (counting or estimating, writing rows). */
async function run(
  values: Buffer[],
  estimate: boolean,
  cal: ReturnType<typeof calibration>,
): Promise<{ decode: number; process: number }> {
  const windows = TumblingWindows.ofSizeAndGrace(3_600_000, 60_000, 'bench');
  const p = new PartitionEstimator(0, windows, new Map(), []);
  const calibrationOf = () => (estimate ? cal : undefined);
  // Each pass starts from a collected heap, so it never pays for the garbage of the pass before.
  (globalThis as { gc?: () => void }).gc?.();
  const seconds = { decode: 0, process: 0 };
  let written = 0;
  for (let i = 0; i < values.length; i += BATCH) {
    const decoded: DecodedInference[] = [];
    const slice = values.slice(i, i + BATCH);
    seconds.decode += await cpu(async () => {
      for (let k = 0; k < slice.length; k++)
        decoded.push({ offset: i + k, event: await codecs.inference.decode(slice[k]!) });
    });
    seconds.process += await cpu(() => {
      const out = p.process(decoded, calibrationOf, () => false);
      for (const w of out.touched) written += JSON.stringify(partialRow(w, 0, 0, 0)).length;
      p.evict(() => false);
    });
  }
  if (estimate && written === 0) throw new Error('nothing estimated');
  return seconds;
}

async function main(): Promise<void> {
  const all = events(EVENTS);
  const values = all.map((e) => withHeader(1, type.toBuffer(e)));
  const cal = calibration(all.slice(0, 5000));
  await run(values.slice(0, 20_000), true, cal); // warm-up
  await run(values.slice(0, 20_000), false, cal);
  const passes: { estimate: boolean; decode: number; process: number }[] = [];
  for (let r = 0; r < ROUNDS; r++)
    for (const estimate of r % 2 ? [true, false] : [false, true])
      passes.push({ estimate, ...(await run(values, estimate, cal)) });
  // The neighbours' load only ever adds CPU time: each part's least over the passes is its cost. Decoding is
  // the same work in both, so both share its least.
  const least = (xs: number[]) => Math.min(...xs);
  const decode = least(passes.map((x) => x.decode));
  const count = least(passes.filter((x) => !x.estimate).map((x) => x.process));
  const estimate = least(passes.filter((x) => x.estimate).map((x) => x.process));
  const [without, withEstimation] = [EVENTS / (decode + count), EVENTS / (decode + estimate)];
  const k = (x: number) => `${(x / 1000).toFixed(1)}k`;
  const us = (x: number) => `${((x / EVENTS) * 1e6).toFixed(2)} µs`;
  console.log(`events: ${EVENTS}, batches of ${BATCH}, ${ROUNDS} rounds, events per CPU second`);
  console.log(`per event: decode ${us(decode)}, count ${us(count)}, estimate + partial rows ${us(estimate)}`);
  console.log(`decode + count (no estimation): ${k(without)} events/s`);
  console.log(`decode + estimate + partial rows: ${k(withEstimation)} events/s`);
  console.log(`estimation costs ${((1 - withEstimation / without) * 100).toFixed(1)}% of the throughput`);
}

void main();
