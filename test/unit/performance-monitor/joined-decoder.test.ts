import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../services/core/src/errors.ts';
import type { JoinedPrediction } from '../../../services/core/src/records/records.generated.ts';
import { readSchema } from '../../../services/core/src/records/schema-files.ts';
import { withHeader } from '../../../services/core/src/serde/wire-format.ts';
import { JoinedBodyReader, joinedDecoder } from '../../../services/performance-monitor/src/joined-decoder.ts';
import { joinedStream } from './stream.ts';

const type = avro.Type.forSchema(readSchema('JoinedPrediction') as avro.Schema);

const odd: JoinedPrediction[] = [
  {
    prediction_id: 'é-😀-ü',
    model_id: 'modèle',
    model_version: '',
    predicted_at: -1,
    labeled_at: 2 ** 50 + 3,
    predicted_label: 'ça',
    predicted_value: null,
    scores: {
      ça: 1,
      'là-bas': 0,
      ...Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, i / 100])),
    },
    label: 'là-bas',
    tags: { région: 'île', empty: '' },
    correction: true,
  },
  {
    prediction_id: 'r',
    model_id: 'reg',
    model_version: 'v9',
    predicted_at: 0,
    labeled_at: 1,
    predicted_label: null,
    predicted_value: -0.5,
    scores: null,
    label: 1e300,
    tags: null,
    correction: false,
  },
];

describe('JoinedBodyReader', () => {
  it('shouldDecodeExactlyAsAvscWhenTheWriterSchemaIsOurs', () => {
    const reader = new JoinedBodyReader();
    const records = [...joinedStream(300, { startMs: Date.parse('2026-01-01'), regressor: true }), ...odd];
    for (const r of records)
      expect(reader.read(type.toBuffer(r), 0)).toEqual(type.fromBuffer(type.toBuffer(r)));
  });

  it('shouldReadMapsWrittenInSeveralBlocksWithByteSizes', () => {
    const r = odd[0]!;
    // Rebuild the tail by hand: scores as two blocks, the first with a negative count and its byte size.
    const entry = (k: string, v: number) =>
      Buffer.concat([avro.Type.forSchema('string').toBuffer(k), avro.Type.forSchema('double').toBuffer(v)]);
    const long = (n: number) => avro.Type.forSchema('long').toBuffer(n);
    const first = Buffer.concat([entry('a', 0.25), entry('b', 0.75)]);
    const head = type.toBuffer({ ...r, scores: null, tags: null, label: 'x', correction: false });
    const prefix = head.subarray(0, head.length - 6); // up to the scores union: [0 scores][0 label 'x'(2)][0 tags][0 corr]
    const scores = Buffer.concat([
      long(1),
      long(-2),
      long(first.length),
      first,
      long(1),
      entry('c', 0),
      long(0),
    ]);
    const tail = Buffer.concat([
      long(0),
      avro.Type.forSchema('string').toBuffer('x'),
      long(0),
      Buffer.from([0]),
    ]);
    const decoded = new JoinedBodyReader().read(Buffer.concat([prefix, scores, tail]), 0);
    expect(decoded.scores).toEqual({ a: 0.25, b: 0.75, c: 0 });
    expect(decoded.label).toBe('x');
  });

  it('shouldKeepEveryClassAsAnOwnPropertyWhateverItsName', () => {
    // JSON.parse makes `__proto__` an own property, as a class label decoded from Avro should be.
    const scores = JSON.parse(
      '{"__proto__": 0.5, "constructor": 0.25, "\\"}); throw 1; ({": 0.25}',
    ) as Record<string, number>;
    const r = { ...odd[1]!, label: 'x', predicted_label: 'x', predicted_value: null, scores };
    const reader = new JoinedBodyReader();
    for (let i = 0; i < 2; i++) {
      const decoded = reader.read(type.toBuffer(r), 0);
      expect(Object.keys(decoded.scores!)).toEqual(['__proto__', 'constructor', '"}); throw 1; ({']);
      expect(Object.entries(decoded.scores!)).toEqual(Object.entries(r.scores));
      expect(Object.getPrototypeOf(decoded.scores)).toBe(Object.prototype);
    }
  });

  it('shouldRejectTruncatedOrTrailingBytesWithADecodeError', () => {
    const body = type.toBuffer(odd[0]!);
    const reader = new JoinedBodyReader();
    for (const bad of [body.subarray(0, body.length - 3), Buffer.concat([body, Buffer.from([0])])]) {
      let error: unknown;
      try {
        reader.read(bad, 0);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DecodeError);
      expect((error as DecodeError).reason).toBe('avro_decode_failed');
    }
  });
});

describe('joinedDecoder', () => {
  const value = withHeader(7, type.toBuffer(odd[1]!));
  const fallback = async () => ({ ...odd[1]!, prediction_id: 'from-fallback' });

  it('shouldUseTheFastReaderOnlyWhenTheWriterSchemaHasOurCanonicalForm', async () => {
    const decode = joinedDecoder({ readerType: type, writerType: async () => type, fallback });
    expect(await decode(value)).toEqual(odd[1]);
    expect(decode(value)).not.toBeInstanceOf(Promise); // the id is known now: synchronous
    const other = avro.Type.forSchema({
      ...(readSchema('JoinedPrediction') as object),
      fields: [{ name: 'x', type: 'int' }],
    } as avro.Schema);
    const viaFallback = joinedDecoder({ readerType: type, writerType: async () => other, fallback });
    expect((await viaFallback(value)).prediction_id).toBe('from-fallback');
  });

  it('shouldLeaveJsonAndUnknownIdsToTheGenericCodec', async () => {
    const failing = joinedDecoder({
      readerType: type,
      writerType: () => Promise.reject(new Error('down')),
      fallback,
    });
    expect((await failing(value)).prediction_id).toBe('from-fallback');
    expect((await failing(Buffer.from('{"a":1}'))).prediction_id).toBe('from-fallback');
  });
});
