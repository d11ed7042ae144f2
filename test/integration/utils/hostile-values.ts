import avro from 'avsc';
import type {
  GroundTruthEvent,
  InferenceEvent,
} from '../../../services/core/src/records/records.generated.ts';
import { readSchema } from '../../../services/core/src/records/schema-files.ts';
import { seededRandom } from '../../../services/simulator/src/prng.ts';

/** The user topic a hostile value is sent to. */
export type HostileTopic = 'inference' | 'truth';

/** One value crafted to hurt, with the dead-letter reason the pipeline must give it. */
export interface HostileValue {
  topic: HostileTopic;
  kind: string;
  key: Buffer;
  value: Buffer;
  /** The dead-letter reason; `any` where random bytes may fail in more than one way. */
  reason: string;
}

/** The schema ids a registry gave our two input records: the wrong-id values cross them. */
export interface SchemaIds {
  inference: number;
  truth: number;
}

const inferenceType = avro.Type.forSchema(readSchema('InferenceEvent') as avro.Schema);
const truthType = avro.Type.forSchema(readSchema('GroundTruthEvent') as avro.Schema);
const T0 = Date.parse('2026-03-01T00:00:00Z');
/** Fewer than 1,048,588 bytes (Kafka's default message.max.bytes) once framed, as a real producer must send. */
export const ONE_MB_STRING = 1_000_000;

function wire(id: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(id, 1);
  return Buffer.concat([header, body]);
}

function baseInference(id: string): InferenceEvent {
  return {
    prediction_id: id,
    model_id: 'fuzz',
    model_version: 'v1',
    timestamp: T0,
    features: { x0: 1.5, plan: 'basic' },
    prediction: { label: 'a', scores: { a: 0.7, b: 0.3 }, value: null },
    latency_ms: 3,
    tags: null,
    embeddings: null,
  } as InferenceEvent;
}

/** `n` entries with short keys: 0.6 MB in Avro (nulls), 0.9 MB in JSON (zeros), under Kafka's 1 MB. */
function manyEntries(n: number, value: null | 0 = null): Record<string, null | 0> {
  const out: Record<string, null | 0> = {};
  for (let i = 0; i < n; i++) out[i.toString(36)] = value;
  return out;
}

/** A field and a value of a type it cannot take. */
const WRONG_TYPES: [string, unknown][] = [
  ['timestamp', true],
  ['timestamp', 'soon'],
  ['features', [1, 2]],
  ['features', { nested: { deeper: 1 } }],
  ['prediction', 'a'],
  ['model_id', 42],
  ['latency_ms', '3 ms'],
  ['tags', { region: 7 }],
];

type Maker = (id: string, ids: SchemaIds, random: () => number) => Omit<HostileValue, 'key' | 'kind'>;

const inferenceAvro = (ids: SchemaIds, e: unknown) => wire(ids.inference, inferenceType.toBuffer(e));
const json = (e: unknown) => Buffer.from(JSON.stringify(e));
const invalid = (topic: HostileTopic, value: Buffer) => ({ topic, value, reason: 'invalid_record' });

/** Each kind with how often it appears (weights) and how it is made. */
const KINDS: [string, number, Maker][] = [
  [
    'random-bytes',
    20,
    (_id, _ids, r) => ({
      topic: r() < 0.5 ? 'inference' : 'truth',
      value: randomBytes(r, 1 + Math.floor(r() * 200), true),
      reason: 'unknown_encoding',
    }),
  ],
  [
    'random-avro-body',
    10,
    (_id, ids, r) => ({
      topic: 'inference',
      value: wire(ids.inference, randomBytes(r, 1 + Math.floor(r() * 60), false)),
      reason: 'any',
    }),
  ],
  [
    'truncated-avro',
    15,
    (id, ids, r) => {
      const whole = inferenceAvro(ids, baseInference(id));
      return {
        topic: 'inference',
        value: whole.subarray(0, 5 + Math.floor(r() * (whole.length - 30))),
        reason: 'avro_decode_failed',
      };
    },
  ],
  [
    'truncated-avro-truth',
    5,
    (id, ids) => {
      const whole = wire(
        ids.truth,
        truthType.toBuffer({ prediction_id: id, timestamp: T0, label: 'a', model_id: null }),
      );
      return { topic: 'truth', value: whole.subarray(0, 7), reason: 'avro_decode_failed' };
    },
  ],
  [
    'unknown-schema-id',
    8,
    (id, ids, r) => ({
      topic: r() < 0.5 ? 'inference' : 'truth',
      value: wire(0x7f000000 + Math.floor(r() * 1e6), inferenceType.toBuffer(baseInference(id))),
      reason: 'unknown_schema_id',
    }),
  ],
  [
    'wrong-schema-id',
    8,
    (id, ids) => ({
      topic: 'inference',
      value: wire(
        ids.truth,
        truthType.toBuffer({ prediction_id: id, timestamp: T0, label: 'a', model_id: null }),
      ),
      reason: 'schema_mismatch',
    }),
  ],
  [
    'wrong-schema-id-truth',
    4,
    (id, ids) => ({
      topic: 'truth',
      value: inferenceAvro(ids, baseInference(id)),
      reason: 'schema_mismatch',
    }),
  ],
  [
    'json-wrong-types',
    10,
    (id, _ids, r) => {
      const e = baseInference(id) as unknown as Record<string, unknown>;
      const [field, wrong] = WRONG_TYPES[Math.floor(r() * WRONG_TYPES.length)]!;
      e[field] = wrong;
      return invalid('inference', json(e));
    },
  ],
  [
    'json-wrong-types-truth',
    5,
    (id) => invalid('truth', json({ prediction_id: id, timestamp: T0, label: { a: 1 } })),
  ],
  [
    'json-broken',
    5,
    (id) => ({
      topic: 'inference',
      value: Buffer.from(`{"prediction_id":"${id}",`),
      reason: 'json_parse_failed',
    }),
  ],
  [
    'nan-infinity',
    8,
    (id, ids, r) => {
      const bad = [NaN, Infinity, -Infinity][Math.floor(r() * 3)]!;
      const e = { ...baseInference(id), prediction: { label: null, scores: null, value: bad } };
      return invalid('inference', inferenceAvro(ids, e));
    },
  ],
  [
    'nan-score',
    4,
    (id, ids) =>
      invalid(
        'inference',
        inferenceAvro(ids, {
          ...baseInference(id),
          prediction: { label: 'a', scores: { a: NaN }, value: null },
        }),
      ),
  ],
  [
    'nan-label',
    4,
    (id, ids) =>
      invalid(
        'truth',
        wire(
          ids.truth,
          truthType.toBuffer({ prediction_id: id, timestamp: T0, label: Infinity, model_id: null }),
        ),
      ),
  ],
  [
    'json-nan-literal',
    3,
    (id) => ({
      topic: 'inference',
      value: Buffer.from(`{"prediction_id":"${id}","prediction":{"value":NaN}}`),
      reason: 'json_parse_failed',
    }),
  ],
  [
    'timestamp-1900',
    4,
    (id, ids) =>
      invalid(
        'inference',
        inferenceAvro(ids, { ...baseInference(id), timestamp: Date.parse('1900-01-01T00:00:00Z') }),
      ),
  ],
  [
    'timestamp-9999',
    4,
    (id) => invalid('truth', json({ prediction_id: id, timestamp: '9999-12-31T23:59:59Z', label: 'a' })),
  ],
  [
    'empty-prediction-id',
    4,
    (_id, ids, r) =>
      r() < 0.5
        ? invalid('inference', inferenceAvro(ids, baseInference('')))
        : invalid('truth', json({ prediction_id: '', timestamp: T0, label: 'a' })),
  ],
  [
    '10kb-prediction-id',
    3,
    (id, ids) => invalid('inference', inferenceAvro(ids, baseInference(id + 'x'.repeat(10_240)))),
  ],
  [
    '10kb-prediction-id-truth',
    2,
    (id) => invalid('truth', json({ prediction_id: id + 'x'.repeat(10_240), timestamp: T0, label: 'a' })),
  ],
  [
    'invalid-utf8-json',
    3,
    (id) => ({
      topic: 'inference',
      value: Buffer.concat([
        json(baseInference(id)).subarray(0, 20),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('"}'),
      ]),
      reason: 'json_parse_failed',
    }),
  ],
  [
    'invalid-utf8-avro',
    3,
    (id, ids) => {
      const bytes = inferenceAvro(ids, baseInference(`${id}-ZZ`));
      const at = bytes.indexOf(Buffer.from('-ZZ'));
      bytes[at + 1] = 0xff;
      bytes[at + 2] = 0xfe;
      return invalid('inference', bytes);
    },
  ],
  [
    'deep-nesting',
    2,
    (id) => {
      const depth = 50_000;
      return {
        topic: 'inference',
        value: Buffer.from(
          `{"prediction_id":"${id}","features":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
        ),
        reason: 'json_parse_failed',
      };
    },
  ],
  [
    'nesting-within-depth',
    2,
    (id) =>
      invalid(
        'inference',
        Buffer.from(`{"prediction_id":"${id}","features":{"x":${'{"a":'.repeat(30)}1${'}'.repeat(30)}}}`),
      ),
  ],
];

/** Rare and heavy: sent one per request, counted apart from the weighted kinds. */
const HEAVY: [string, number, Maker][] = [
  [
    '1mb-string',
    10,
    (id, ids) =>
      invalid(
        'inference',
        inferenceAvro(ids, { ...baseInference(id), features: { big: 's'.repeat(ONE_MB_STRING) } }),
      ),
  ],
  [
    '1mb-string-json',
    5,
    (id) => invalid('truth', json({ prediction_id: id, timestamp: T0, label: 's'.repeat(ONE_MB_STRING) })),
  ],
  [
    '100k-feature-map',
    10,
    (id, ids) =>
      invalid('inference', inferenceAvro(ids, { ...baseInference(id), features: manyEntries(100_000) })),
  ],
  [
    '100k-feature-map-json',
    5,
    (id) => invalid('inference', json({ ...baseInference(id), features: manyEntries(100_000, 0) })),
  ],
];

function randomBytes(random: () => number, n: number, avoidKnownStarts: boolean): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
  // 0x00 would be read as Avro, `{` and whitespace as JSON: keep random bytes "unknown".
  while (avoidKnownStarts && [0x00, 0x7b, 0x20, 0x09, 0x0a, 0x0d].includes(out[0]!))
    out[0] = Math.floor(random() * 256);
  return out;
}

/**
 * `count` hostile values drawn by weight from the kinds above, plus every heavy one (`heavy`: 1 MB strings,
 * 100,000-entry maps), each keyed `bad:<n>:<kind>` so its dead letters can be found. Seeded.
 */
export function hostileValues(count: number, ids: SchemaIds, seed: number, heavy = true): HostileValue[] {
  const random = seededRandom(seed);
  const total = KINDS.reduce((s, [, w]) => s + w, 0);
  const out: HostileValue[] = [];
  const add = (kind: string, make: Maker) => {
    const id = `bad-${out.length}`;
    out.push({ ...make(id, ids, random), kind, key: Buffer.from(`bad:${out.length}:${kind}`) });
  };
  for (let n = 0; n < count; n++) {
    let pick = random() * total;
    const found = KINDS.find(([, w]) => (pick -= w) < 0) ?? KINDS[0]!;
    add(found[0], found[2]);
  }
  if (heavy) for (const [kind, times, make] of HEAVY) for (let t = 0; t < times; t++) add(kind, make);
  return out;
}

/** A valid ground-truth event's Avro encoding under `id`, for the valid half of the stream. */
export function encodeTruth(id: number, e: GroundTruthEvent): Buffer {
  return wire(id, truthType.toBuffer(e));
}

/** A valid inference event's Avro encoding under `id`. */
export function encodeInference(id: number, e: InferenceEvent): Buffer {
  return wire(id, inferenceType.toBuffer(e));
}
