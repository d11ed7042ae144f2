import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { readSchema, type RecordName } from '../../../../services/core/src/records/schema-files.ts';
import {
  compileAvroReader,
  lastValueWasPlain,
  type AvroReader,
} from '../../../../services/core/src/serde/avro-reader.ts';
import { mulberry32 } from '../../../../services/core/src/stats/random.ts';

// Parity of the compiled reader with avsc (the library it stands in for), on the values of our schemas and on
// bodies that are not values: what one decodes, the other decodes alike; what avsc refuses, ours refuses.
const typeOf = (name: RecordName) => avro.Type.forSchema(readSchema(name) as avro.Schema);
const readerOf = (type: avro.Type): AvroReader => {
  const read = compileAvroReader(type);
  if (!read) throw new Error('not compiled');
  return read;
};

/** avsc's value of `body`, or the error it throws. */
function avscRead(type: avro.Type, body: Buffer): { value: unknown } | { error: string } {
  try {
    return { value: type.fromBuffer(body) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function oursRead(read: AvroReader, body: Buffer): { value: unknown } | { error: string } {
  try {
    return { value: read(body) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

const rng = mulberry32(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const NAMES = ['x0', 'x1', 'plan', 'é', 'naïve_feature_with_a_long_name_over_24_bytes', '', '\u{1F600}'];

/** Inference events of several models, each with its own feature names, in random interleaving. */
function inferenceEvent(i: number): Record<string, unknown> {
  const model = i % 3;
  const features: Record<string, unknown> = {};
  const count = model === 2 ? 1 + (i % 4) : 20;
  for (let f = 0; f < count; f++) features[model === 1 ? `m1_${f}` : `x${f}`] = rng() * 10 - 5;
  features.cat = pick([null, true, false, 'basic', 'pro', 'ünï', 'a'.repeat(30)]);
  return {
    prediction_id: `p-${i}-${pick(NAMES)}`,
    model_id: `model-${model}`,
    model_version: 'v1',
    timestamp: 1_780_000_000_000 + i,
    features,
    prediction: {
      label: pick([null, 'a', 'b']),
      scores: pick([null, { a: 0.25, b: 0.75 }, {}]),
      value: pick([null, 1.5, -0]),
    },
    latency_ms: pick([null, 3.25]),
    tags: pick([null, {}, { region: 'eu', arm: pick(NAMES) }]),
    embeddings: pick([null, { e: [0.5, -1.25, 3] }, { e: [], f: [1] }]),
    golden_expected: pick([null, { label: 'a', value: null }]),
    request_id: pick([null, 'r-1']),
  };
}

describe('compileAvroReader', () => {
  it('shouldDecodeEveryValueAsAvscDoesWhenTheWriterSchemaIsTheReaders', () => {
    for (const name of ['InferenceEvent', 'GroundTruthEvent', 'JoinedPrediction'] as const) {
      const type = typeOf(name);
      const read = readerOf(type);
      for (let i = 0; i < 500; i++) {
        const body = type.toBuffer(type.random());
        expect(read(body)).toEqual(type.fromBuffer(body));
      }
    }
  });

  it('shouldDecodeInterleavedModelsFeatureMapsAsAvscDoesWhenTheirKeysChange', () => {
    const type = typeOf('InferenceEvent');
    const read = readerOf(type);
    for (let i = 0; i < 3000; i++) {
      const body = type.toBuffer(inferenceEvent(i));
      const ours = read(body);
      expect(ours).toEqual(type.fromBuffer(body));
      // The same key order as avsc's object: downstream code iterates features in that order.
      const features = (ours as { features: object }).features;
      expect(Object.keys(features)).toEqual(
        Object.keys((type.fromBuffer(body) as { features: object }).features),
      );
    }
  });

  it('shouldReadMapsAndArraysWrittenInSeveralBlocksWithSizes', () => {
    // A Java writer may split a map or an array into blocks, each with a negative count and its byte size.
    const type = avro.Type.forSchema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'm', type: { type: 'map', values: 'double' } },
        { name: 'a', type: { type: 'array', items: 'float' } },
      ],
    });
    const zigzag = (n: number): number[] => {
      const out: number[] = [];
      let z = n >= 0 ? n * 2 : -n * 2 - 1;
      while (z > 0x7f) {
        out.push((z & 0x7f) | 0x80);
        z = Math.floor(z / 128);
      }
      out.push(z);
      return out;
    };
    const dbl = (x: number) => [...new Uint8Array(new Float64Array([x]).buffer)];
    const flt = (x: number) => [...new Uint8Array(new Float32Array([x]).buffer)];
    const entry = (k: string, x: number) => [...zigzag(k.length), ...Buffer.from(k), ...dbl(x)];
    const body = Buffer.from([
      ...zigzag(-1),
      ...zigzag(entry('a', 1).length),
      ...entry('a', 1),
      ...zigzag(2),
      ...entry('b', 2),
      ...entry('c', 3),
      ...zigzag(0),
      ...zigzag(-2),
      ...zigzag(8),
      ...flt(0.5),
      ...flt(1.5),
      ...zigzag(1),
      ...flt(2.5),
      ...zigzag(0),
    ]);
    const read = readerOf(type);
    expect(read(body)).toEqual(type.fromBuffer(body));
    expect(read(body)).toEqual({ m: { a: 1, b: 2, c: 3 }, a: [0.5, 1.5, 2.5] });
  });

  it('shouldRefuseEveryTruncatedBodyAsAvscDoes', () => {
    const type = typeOf('InferenceEvent');
    const read = readerOf(type);
    for (let i = 0; i < 30; i++) {
      const body = type.toBuffer(inferenceEvent(i));
      for (let cut = 0; cut < body.length; cut++) {
        const part = body.subarray(0, cut);
        expect(oursRead(read, part), `cut at ${cut}`).toHaveProperty('error');
        expect(avscRead(type, part), `cut at ${cut}`).toHaveProperty('error');
      }
      expect(oursRead(read, Buffer.concat([body, Buffer.from([0])]))).toEqual({ error: 'trailing data' });
    }
  });

  it('shouldDecodeACorruptedBodyOnlyWhereAvscDecodesItToTheSameValue', () => {
    // Corrupted counts may make avsc loop for a long time, so avsc is asked only where ours decoded: then the
    // counts were consistent with the body, and avsc must agree.
    const type = typeOf('InferenceEvent');
    const read = readerOf(type);
    let decoded = 0;
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const body = Buffer.from(type.toBuffer(inferenceEvent(i)));
      for (let flips = 1 + (i % 3); flips > 0; flips--)
        body[Math.floor(rng() * body.length)] = Math.floor(rng() * 256);
      const ours = oursRead(read, body);
      if ('error' in ours) refused++;
      else {
        decoded++;
        const theirs = avscRead(type, body);
        expect(theirs).toHaveProperty('value');
        expect(ours.value).toEqual((theirs as { value: unknown }).value);
      }
    }
    expect(decoded).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it('shouldRefuseALongPastWhatADoubleHoldsAsAvscDoes', () => {
    const type = avro.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 't', type: 'long' }] });
    const body = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(avscRead(type, body)).toEqual({ error: 'potential precision loss' });
    expect(oursRead(readerOf(type), body)).toEqual({ error: 'potential precision loss' });
    const big = type.toBuffer({ t: 2 ** 52 + 3 });
    expect(readerOf(type)(big)).toEqual({ t: 2 ** 52 + 3 });
  });

  it('shouldDecodeInvalidUtf8ToReplacementCharactersAsAvscDoes', () => {
    const type = avro.Type.forSchema({ type: 'record', name: 'R', fields: [{ name: 's', type: 'string' }] });
    for (const bytes of [[0xff], [0x61, 0xc3], [0xe2, 0x82], [0x61, 0x80, 0x62]]) {
      const body = Buffer.from([bytes.length * 2, ...bytes]);
      expect(readerOf(type)(body)).toEqual(type.fromBuffer(body));
    }
  });

  it('shouldKeepAvscForSchemasItDoesNotCompile', () => {
    const enumType = avro.Type.forSchema({ type: 'enum', name: 'E', symbols: ['A'] });
    expect(compileAvroReader(enumType)).toBeUndefined();
    const nulls = avro.Type.forSchema({ type: 'array', items: 'null' });
    expect(compileAvroReader(nulls)).toBeUndefined();
  });

  it('shouldNotTakeAMapKeyProtoAsThePrototype', () => {
    const type = avro.Type.forSchema({ type: 'map', values: 'string' });
    const read = readerOf(type);
    for (let i = 0; i < 3; i++) {
      const body = Buffer.from([2, 18, ...Buffer.from('__proto__'), 2, 0x61, 0]);
      const value = read(body) as Record<string, unknown>;
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(value).toEqual(type.fromBuffer(body));
    }
  });

  it('shouldCallAValuePlainOnlyWhenEveryStringIsAsciiAndEveryCountWithinItsBounds', () => {
    // Plain lets a codec skip walking the value for INPUT_LIMITS: it must never be said of a value over them.
    const type = avro.Type.forSchema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 's', type: 'string' },
        { name: 'm', type: { type: 'map', values: 'string' } },
        { name: 'a', type: { type: 'array', items: 'float' } },
      ],
    });
    const read = compileAvroReader(type, { maxStringBytes: 30, maxItems: 3 })!;
    const plainAfter = (value: object) => {
      read(type.toBuffer(value));
      return lastValueWasPlain();
    };
    const ok = { s: 'a'.repeat(30), m: { k: 'v', k2: 'x'.repeat(26) }, a: [1, 2, 3] };
    // Twice: the second read builds the map from its compiled key sequence.
    expect([plainAfter(ok), plainAfter(ok)]).toEqual([true, true]);
    const over = [
      { ...ok, s: 'a'.repeat(31) },
      { ...ok, s: 'é' },
      { ...ok, s: '\uFFFD' },
      { ...ok, s: `${'a'.repeat(25)}é` },
      { ...ok, m: { k: 'é' } },
      { ...ok, m: { ['k'.repeat(31)]: 'v' } },
      { ...ok, m: { a: '', b: '', c: '', d: '' } },
      { ...ok, a: [1, 2, 3, 4] },
    ];
    for (const value of over)
      expect([plainAfter(value), plainAfter(value)], JSON.stringify(value)).toEqual([false, false]);
    // A non-ASCII key taken from the cached sequence, after a plain read, still makes the value not plain.
    const keyed = { ...ok, m: { ä: 'v' } };
    expect([plainAfter(keyed), plainAfter(ok), plainAfter(keyed), plainAfter(keyed)]).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });

  it('shouldReadAProjectionAsTheWholeValueWithoutItsSkippedFieldsAndPassTheSameVerdict', () => {
    const type = typeOf('InferenceEvent');
    const bounds = { maxStringBytes: 28, maxItems: 20 };
    const whole = compileAvroReader(type, bounds)!;
    const projection = compileAvroReader(type, bounds, ['features'])!;
    const outcome = (read: AvroReader, body: Buffer) => {
      const r = oursRead(read, body);
      return { ...r, plain: lastValueWasPlain() };
    };
    let notPlain = 0;
    for (let i = 0; i < 3000; i++) {
      const body = Buffer.from(type.toBuffer(inferenceEvent(i)));
      if (i % 2 === 1) body[Math.floor(rng() * body.length)] = Math.floor(rng() * 256);
      for (const part of [body, body.subarray(0, Math.floor(rng() * body.length))]) {
        const a = outcome(whole, part);
        const b = outcome(projection, part);
        if ('error' in a) expect(b).toHaveProperty('error');
        else {
          const { features: _features, ...rest } = a.value as Record<string, unknown>;
          expect(b).toEqual({ value: rest, plain: a.plain });
          if (!a.plain) notPlain++;
        }
      }
    }
    // The events above hold features over these bounds (non-ASCII, long strings, 21 entries) now and then.
    expect(notPlain).toBeGreaterThan(100);
  });
});
