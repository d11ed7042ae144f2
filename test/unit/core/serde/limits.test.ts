import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../../services/core/src/errors.ts';
import { readSchema } from '../../../../services/core/src/records/schema-files.ts';
import { createCodecs } from '../../../../services/core/src/serde/codecs.ts';
import { checkJsonDepth, INPUT_LIMITS } from '../../../../services/core/src/serde/limits.ts';

const writer = avro.Type.forSchema(readSchema('InferenceEvent') as avro.Schema);
const codecs = createCodecs({ writerType: async () => writer });
codecs.inference.schemaId = 1;

const event = {
  prediction_id: 'p-1',
  model_id: 'churn',
  model_version: 'v3',
  timestamp: 1_700_000_000_123,
  features: { age: 42, plan: 'pro' } as Record<string, unknown>,
  prediction: { label: 'yes', scores: { yes: 0.8, no: 0.2 }, value: null },
  latency_ms: 3.5,
  tags: null,
  embeddings: null,
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

const json = (x: unknown) => Buffer.from(JSON.stringify(x));
const manyFeatures = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, null]));

describe('INPUT_LIMITS', () => {
  it('shouldAcceptAnEventAtEveryLimit', async () => {
    const atLimits = {
      ...event,
      prediction_id: 'p'.repeat(INPUT_LIMITS.maxIdChars),
      features: {
        ...manyFeatures(INPUT_LIMITS.maxMapEntries - 1),
        long: 's'.repeat(INPUT_LIMITS.maxStringChars),
      },
      embeddings: { text: Array.from({ length: INPUT_LIMITS.maxArrayItems }, () => 0.5) },
    };
    expect(await reasonOf(codecs.inference.decode(codecs.inference.encode(atLimits as never)))).toBe(
      'decoded',
    );
    expect(await reasonOf(codecs.inference.decode(json(atLimits)))).toBe('decoded');
  });

  it('shouldRejectAnEventOverALimitInAvroAndJsonAlike', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { prediction_id: 'p'.repeat(10_240) },
        /prediction_id too large: 10240 > 1024 \(INPUT_LIMITS.maxIdChars\)/,
      ],
      [{ features: { big: 's'.repeat(1 << 20) } }, /features.big too large: 1048576 > 65536/],
      [
        { features: manyFeatures(100_000) },
        /features too large: 100000 > 10000 \(INPUT_LIMITS.maxMapEntries\)/,
      ],
      [{ embeddings: { e: Array.from({ length: 70_000 }, () => 0) } }, /embeddings.e too large: 70000/],
      [{ model_id: 'm\uFFFD' }, /model_id is not valid UTF-8/],
    ];
    for (const [change, message] of cases) {
      const bad = { ...event, ...change };
      for (const bytes of [codecs.inference.encode(bad as never), json(bad)]) {
        expect(await reasonOf(codecs.inference.decode(bytes))).toMatch(/^invalid_record: /);
        expect(await reasonOf(codecs.inference.decode(bytes))).toMatch(message);
      }
    }
  });

  it('shouldGiveTheSameVerdictWhenTheFeaturesAreLeftOut', async () => {
    const bad = codecs.inference.encode({ ...event, features: manyFeatures(100_000) } as never);
    expect(await reasonOf(codecs.inferenceWithoutFeatures.decode(bad))).toMatch(/features too large/);
  });

  it('shouldRejectDeepJsonBeforeParsingIt', async () => {
    const deep = `{"features":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    expect(await reasonOf(codecs.inference.decode(Buffer.from(deep)))).toMatch(
      /^json_parse_failed: JSON nesting deeper than 32/,
    );
    expect(() => checkJsonDepth(Buffer.from(`{"a":"${'{'.repeat(100)}"}`))).not.toThrow();
    expect(() => checkJsonDepth(Buffer.from(`{"a":"\\"${'{'.repeat(100)}"}`))).not.toThrow();
  });

  it('shouldRejectADeeplyNestedValueWithinTheDepthLimitWithoutThrowingAnythingElse', async () => {
    const nested = `{"prediction_id":"p","features":{"x":${'{"a":'.repeat(30)}1${'}'.repeat(30)}}}`;
    expect(await reasonOf(codecs.inference.decode(Buffer.from(nested)))).toMatch(/^invalid_record: /);
  });

  it('shouldRejectJsonThatIsNotUtf8', async () => {
    const text = Buffer.concat([
      Buffer.from('{"prediction_id":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    expect(await reasonOf(codecs.inference.decode(text))).toBe('json_parse_failed: value is not valid UTF-8');
  });

  it('shouldRejectTimestampsOutsideTheCenturies', async () => {
    for (const ts of [Date.parse('1900-01-01'), Date.parse('9999-12-31')]) {
      expect(await reasonOf(codecs.inference.decode(json({ ...event, timestamp: ts })))).toMatch(
        /timestamp must be epoch milliseconds between 2000 and 2100/,
      );
    }
  });
});
