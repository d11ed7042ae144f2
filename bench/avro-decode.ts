// Benchmark (not a test) of decoding the input topics' Avro bodies: npm run bench -- avro-decode
// (or node --max-semi-space-size=64 --import tsx bench/avro-decode.ts [events=100000])
// The pipeline benchmark's events (three models interleaved, 20 numeric features and a categorical one; their
// labels), each body read by avsc through a resolver of the writer's schema (as every codec read them before)
// and by the compiled reader (core/src/serde/avro-reader.ts), which a codec now uses when the writer's schema
// is its own; then the whole codec decode a service awaits per record (wire-format header, checks, limits),
// and the inference codec that leaves the features out (read past, never made).
// Rounds alternate the passes; each pass's least CPU time is its cost (a neighbour's load only adds).
import avro from 'avsc';
import { readSchema } from '../services/core/src/records/schema-files.ts';
import { compileAvroReader } from '../services/core/src/serde/avro-reader.ts';
import { createCodecs } from '../services/core/src/serde/codecs.ts';
import { withHeader } from '../services/core/src/serde/wire-format.ts';
import { classifierTraffic } from '../services/simulator/src/classifier-traffic.ts';

const EVENTS = Number(process.argv[2] ?? 100_000);
const ROUNDS = 5;
const MODELS = 3;

const inferenceType = avro.Type.forSchema(readSchema('InferenceEvent') as avro.Schema);
const truthType = avro.Type.forSchema(readSchema('GroundTruthEvent') as avro.Schema);
const traffic = Array.from({ length: MODELS }, (_, m) =>
  classifierTraffic({
    modelId: `model-${m}`,
    modelVersion: 'v1',
    numericFeatures: 20,
    startMs: Date.parse('2026-06-01T00:00:00Z'),
    seed: m + 1,
    idPrefix: `m${m}`,
  }),
);
const inference: Buffer[] = [];
const truth: Buffer[] = [];
for (let i = 0; i < EVENTS; i++) {
  const pair = traffic[i % MODELS]!.next().value!;
  inference.push(inferenceType.toBuffer(pair.inference));
  truth.push(truthType.toBuffer(pair.truth));
}

/** CPU µs per body of `read` over `bodies`. */
function cpuPerBody(bodies: readonly Buffer[], read: (b: Buffer) => unknown): number {
  const start = process.cpuUsage();
  for (const b of bodies) read(b);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / bodies.length;
}

async function cpuPerRecord(
  values: readonly Buffer[],
  decode: (v: Buffer) => Promise<unknown>,
): Promise<number> {
  const start = process.cpuUsage();
  for (const v of values) await decode(v);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / values.length;
}

/** avsc reading bodies through a resolver of the writer's schema, as every codec read them before. */
const avscReader = (type: avro.Type) => {
  const resolver = type.createResolver(type);
  return (b: Buffer) => type.fromBuffer(b, resolver);
};
const passes = {
  inference: { avsc: avscReader(inferenceType), compiled: compileAvroReader(inferenceType)! },
  truth: { avsc: avscReader(truthType), compiled: compileAvroReader(truthType)! },
};
const codecs = createCodecs({ writerType: async (id) => (id === 1 ? inferenceType : truthType) });
const wire = { inference: inference.map((b) => withHeader(1, b)), truth: truth.map((b) => withHeader(2, b)) };

const least = new Map<string, number>();
const keep = (name: string, us: number) => least.set(name, Math.min(least.get(name) ?? Infinity, us));
for (let round = 0; round < ROUNDS; round++) {
  for (const topic of ['inference', 'truth'] as const) {
    const bodies = topic === 'inference' ? inference : truth;
    const order = round % 2 === 0 ? (['avsc', 'compiled'] as const) : (['compiled', 'avsc'] as const);
    for (const pass of order) keep(`${topic} ${pass}`, cpuPerBody(bodies, passes[topic][pass]));
  }
  keep('inference codec', await cpuPerRecord(wire.inference, (v) => codecs.inference.decode(v)));
  keep('truth codec', await cpuPerRecord(wire.truth, (v) => codecs.groundTruth.decode(v)));
  keep(
    'projection codec',
    await cpuPerRecord(wire.inference, (v) => codecs.inferenceWithoutFeatures.decode(v)),
  );
}

const fixed = (x: number) => x.toFixed(2);
console.log(
  `events: ${EVENTS} of each topic (${MODELS} models interleaved), ${ROUNDS} rounds, least CPU µs per event`,
);
console.log('topic        avsc + resolver   compiled reader   ratio   whole codec decode (checks included)');
for (const topic of ['inference', 'truth'] as const) {
  const avsc = least.get(`${topic} avsc`)!;
  const compiled = least.get(`${topic} compiled`)!;
  console.log(
    `${topic.padEnd(13)}${fixed(avsc).padStart(15)}${fixed(compiled).padStart(18)}${`${(avsc / compiled).toFixed(1)}x`.padStart(8)}${fixed(least.get(`${topic} codec`)!).padStart(12)}`,
  );
}
console.log(
  `inference without its features (the label joiner's and the estimator's codec): ${fixed(least.get('projection codec')!)} µs`,
);
