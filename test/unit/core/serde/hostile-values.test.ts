import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../../services/core/src/errors.ts';
import { readSchema } from '../../../../services/core/src/records/schema-files.ts';
import { createCodecs } from '../../../../services/core/src/serde/codecs.ts';
import { hostileValues } from '../../../integration/utils/hostile-values.ts';

// The fuzzer's values through the codecs every service uses, without servers: each must be refused with the
// reason the integration test expects from the dead-letter topic, by every reader of its topic alike.
const ids = { inference: 11, truth: 12 };
const writers = new Map([
  [ids.inference, avro.Type.forSchema(readSchema('InferenceEvent') as avro.Schema)],
  [ids.truth, avro.Type.forSchema(readSchema('GroundTruthEvent') as avro.Schema)],
]);
const codecs = createCodecs({
  writerType: async (id) => {
    const t = writers.get(id);
    if (!t) throw new DecodeError('unknown_schema_id', `schema id ${id} is not in the registry`);
    return t;
  },
});

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof DecodeError) return error.reason;
    throw error;
  }
  return 'decoded';
}

describe('hostile values', () => {
  it('shouldBeRefusedWithTheirReasonByEveryReaderOfTheirTopic', async () => {
    const values = hostileValues(3_000, ids, 7);
    const readers = {
      inference: [codecs.inference, codecs.inferenceWithoutFeatures],
      truth: [codecs.groundTruth],
    };
    const kinds = new Set<string>();
    for (const v of values) {
      for (const codec of readers[v.topic]) {
        const reason = await reasonOf(codec.decode(v.value));
        expect(reason, `${v.kind} ${v.key.toString().slice(0, 40)}`).not.toBe('decoded');
        if (v.reason !== 'any') expect(reason, v.kind).toBe(v.reason);
      }
      kinds.add(v.kind);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(25);
  }, 120_000);
});
