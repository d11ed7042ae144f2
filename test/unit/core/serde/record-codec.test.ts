import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../../services/core/src/errors.ts';
import { readSchema } from '../../../../services/core/src/records/schema-files.ts';
import { createCodecs } from '../../../../services/core/src/serde/codecs.ts';
import { withHeader } from '../../../../services/core/src/serde/wire-format.ts';

// Writer schemas as a registry would hand them out: id 1 = ours, id 2 = an older writer without tags,
// id 3 = a writer that lacks prediction_id.
const ours = readSchema('InferenceEvent');
const older = {
  ...ours,
  fields: (ours.fields as { name: string }[]).filter((f) => f.name !== 'tags' && f.name !== 'latency_ms'),
};
const noId = {
  ...ours,
  fields: (ours.fields as { name: string }[]).filter((f) => f.name !== 'prediction_id'),
};
const writers = new Map<number, avro.Type>([
  [1, avro.Type.forSchema(ours as avro.Schema)],
  [2, avro.Type.forSchema(older as avro.Schema)],
  [3, avro.Type.forSchema(noId as avro.Schema)],
]);
const source = {
  writerType: async (id: number) => {
    const t = writers.get(id);
    if (!t) throw new DecodeError('unknown_schema_id', `schema id ${id} is not in the registry`);
    return t;
  },
};

const event = {
  prediction_id: 'p-1',
  model_id: 'churn',
  model_version: 'v3',
  timestamp: 1_700_000_000_123,
  features: { age: 42, plan: 'pro', active: true, missing: null },
  prediction: { label: 'yes', scores: { yes: 0.8, no: 0.2 }, value: null },
  latency_ms: 3.5,
  tags: { region: 'eu' },
  embeddings: { text: [0.5, -0.25, 1] },
  golden_expected: { label: 'yes', value: null },
  request_id: 'req-1',
};

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof DecodeError) return `${error.reason}: ${error.message}`;
    throw error;
  }
  return 'decoded';
}

describe('RecordCodec', () => {
  const codecs = createCodecs(source);
  codecs.inference.schemaId = 1;

  it('shouldRoundTripAvroInTheWireFormat', async () => {
    const bytes = codecs.inference.encode(event);
    expect(bytes[0]).toBe(0);
    expect(bytes.readUInt32BE(1)).toBe(1);
    expect({ ...(await codecs.inference.decode(bytes)) }).toEqual(event);
  });

  it('shouldEncodeEachRecordIntoItsOwnBytesWhenRecordsOfEverySizeFollowEachOther', async () => {
    // Up to 3 MB in 60,000-character strings (each under INPUT_LIMITS.maxStringChars).
    const sized = (n: number, c: string) => ({
      ...event,
      features: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, c.repeat(60_000)])),
    });
    const records = [sized(0, 'a'), sized(1, 'b'), sized(0, 'c'), sized(50, 'd'), sized(2, 'e')];
    const encoded = records.map((r) => codecs.inference.encode(r));
    for (const [i, bytes] of encoded.entries()) {
      expect(bytes.equals(withHeader(1, codecs.inference.type.toBuffer(records[i]))), String(i)).toBe(true);
      expect({ ...(await codecs.inference.decode(bytes)) }).toEqual(records[i]);
    }
  });

  it('shouldDecodeEverythingButTheFeaturesWhenTheyAreSkipped', async () => {
    const { features: _skipped, ...rest } = event;
    const reader = codecs.inferenceWithoutFeatures;
    expect({ ...(await reader.decode(codecs.inference.encode(event))) }).toEqual(rest);
    // An older writer (no tags, no latency) and JSON give the same shape; JSON is still checked whole.
    const older = writers.get(2)!.toBuffer({ ...event, tags: undefined, latency_ms: undefined });
    expect(Object.keys(await reader.decode(withHeader(2, older)))).not.toContain('features');
    expect({ ...(await reader.decode(Buffer.from(JSON.stringify(event)))) }).toEqual(rest);
    const badFeatures = Buffer.from(JSON.stringify({ ...event, features: { x: [1] } }));
    expect(await reasonOf(reader.decode(badFeatures))).toBe(
      await reasonOf(codecs.inference.decode(badFeatures)),
    );
    // Skipped bytes are still read: a body cut inside the features fails as before.
    const cut = codecs.inference.encode(event).subarray(0, 30);
    expect(await reasonOf(reader.decode(cut))).toMatch(/^avro_decode_failed/);
    expect(await reasonOf(reader.decode(codecs.inference.encode({ ...event, latency_ms: -1 })))).toBe(
      'invalid_record: latency_ms must be >= 0, got -1',
    );
  });

  it('shouldResolveAnOlderWriterSchemaFillingDefaults', async () => {
    const body = writers.get(2)!.toBuffer({ ...event, tags: undefined, latency_ms: undefined });
    const decoded = await codecs.inference.decode(withHeader(2, body));
    expect(decoded.tags).toBeNull();
    expect(decoded.prediction_id).toBe('p-1');
  });

  it('shouldDecodeJsonWithIsoTimestampsAndAbsentOptionalFields', async () => {
    const json = {
      prediction_id: 'p-2',
      model_id: 'm',
      model_version: '1',
      timestamp: '2024-01-02T03:04:05.678Z',
      features: { x: 1 },
      prediction: { value: 2.5 },
    };
    const decoded = await codecs.inference.decode(Buffer.from(`  ${JSON.stringify(json)}`));
    expect(decoded.timestamp).toBe(Date.parse('2024-01-02T03:04:05.678Z'));
    expect(decoded.prediction.value).toBe(2.5);
    expect(decoded.tags).toBeNull();
  });

  it.each([
    [
      'garbage bytes',
      Buffer.from('hello'),
      'unknown_encoding: not Avro (0x00 + schema id) nor a JSON object ({): first byte 0x68',
    ],
    [
      'an empty value',
      Buffer.alloc(0),
      'unknown_encoding: not Avro (0x00 + schema id) nor a JSON object ({): empty value',
    ],
    [
      'a schema id the registry lacks',
      withHeader(99, Buffer.from([1, 2])),
      'unknown_schema_id: schema id 99 is not in the registry',
    ],
    ['broken JSON', Buffer.from('{"prediction_id":'), 'json_parse_failed'],
    [
      'a JSON record without prediction_id',
      Buffer.from(JSON.stringify({ ...event, prediction_id: undefined })),
      'invalid_record: missing field prediction_id',
    ],
    [
      'a JSON record with a string timestamp that is no time',
      Buffer.from(JSON.stringify({ ...event, timestamp: 'yesterday' })),
      'invalid_record: timestamp is not an ISO-8601 time: "yesterday"',
    ],
    [
      'a timestamp in seconds',
      Buffer.from(JSON.stringify({ ...event, timestamp: 1_700_000_000 })),
      'invalid_record: timestamp must be epoch milliseconds between 2000 and 2100, got 1700000000',
    ],
    [
      'a prediction with neither label nor value',
      Buffer.from(JSON.stringify({ ...event, prediction: {} })),
      'invalid_record: prediction needs a label (classifier) or a value (regressor)',
    ],
    [
      'a score outside [0, 1]',
      Buffer.from(JSON.stringify({ ...event, prediction: { label: 'a', scores: { a: 1.5 } } })),
      'invalid_record: prediction.scores.a must be a probability in [0, 1], got 1.5',
    ],
    [
      'an empty prediction_id',
      Buffer.from(JSON.stringify({ ...event, prediction_id: '' })),
      'invalid_record: prediction_id must not be empty',
    ],
    [
      'a feature of an unsupported type',
      Buffer.from(JSON.stringify({ ...event, features: { x: [1] } })),
      'invalid_record: invalid features.x: [1]',
    ],
  ])('shouldRejectWithAReason: %s', async (_name, value, expected) => {
    expect(await reasonOf(codecs.inference.decode(value))).toContain(expected);
  });

  it('shouldRejectAWriterSchemaWithoutPredictionIdAsSchemaMismatch', async () => {
    const body = writers.get(3)!.toBuffer({ ...event, prediction_id: undefined });
    expect(await reasonOf(codecs.inference.decode(withHeader(3, body)))).toMatch(
      /^schema_mismatch: writer schema id 3 cannot be read as io.driftline.v1.InferenceEvent/,
    );
  });

  it('shouldRejectATruncatedAvroBody', async () => {
    const bytes = codecs.inference.encode(event);
    expect(await reasonOf(codecs.inference.decode(bytes.subarray(0, 12)))).toMatch(/^avro_decode_failed/);
  });

  it('shouldAcceptGroundTruthWithAStringOrNumericLabel', async () => {
    const a = await codecs.groundTruth.decode(
      Buffer.from(JSON.stringify({ prediction_id: 'p', timestamp: 1_700_000_000_000, label: 'yes' })),
    );
    const b = await codecs.groundTruth.decode(
      Buffer.from(
        JSON.stringify({ prediction_id: 'p', timestamp: 1_700_000_000_000, label: 3.25, model_id: 'm' }),
      ),
    );
    expect([a.label, a.model_id, b.label, b.model_id]).toEqual(['yes', null, 3.25, 'm']);
  });

  it('shouldWalkTheLimitsOfAnEventAvscReadEvenRightAfterAPlainOne', async () => {
    // Only the compiled reader notes plain values: an older writer's body (read by avsc) is always walked.
    const olderType = writers.get(2)!;
    const { tags: _tags, latency_ms: _latency, ...olderEvent } = event;
    const bad = { ...olderEvent, features: { ...event.features, plan: '\uFFFD' } };
    expect(await reasonOf(codecs.inference.decode(withHeader(1, writers.get(1)!.toBuffer(event))))).toBe(
      'decoded',
    );
    expect(await reasonOf(codecs.inference.decode(withHeader(2, olderType.toBuffer(bad))))).toMatch(
      /^invalid_record: features.plan is not valid UTF-8/,
    );
  });

  it('shouldLeaveTheFeaturesOutButRefuseTheEventAsAFullReadDoesWhenTheyAreOverALimit', async () => {
    const ourType = writers.get(1)!;
    const without = codecs.inferenceWithoutFeatures;
    const read = await without.decode(withHeader(1, ourType.toBuffer(event)));
    expect(read).not.toHaveProperty('features');
    const { features: _features, ...rest } = event;
    expect(read).toEqual(rest);
    for (const features of [{ plan: '\uFFFD' }, { plan: 'x'.repeat(70_000) }, { ['k'.repeat(70_000)]: 1 }]) {
      const body = withHeader(1, ourType.toBuffer({ ...event, features }));
      const full = await reasonOf(codecs.inference.decode(body));
      expect(full).toMatch(/^invalid_record: features/);
      expect(await reasonOf(without.decode(body))).toBe(full);
    }
  });
});
