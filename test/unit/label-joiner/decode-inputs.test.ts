import { describe, expect, it } from 'vitest';
import { DecodeError, ServerUnavailableError } from '../../../services/core/src/errors.ts';
import type { KafkaMessage } from '../../../services/core/src/kafka/client.ts';
import { createCodecs } from '../../../services/core/src/serde/codecs.ts';
import { checkKey, decodeInputs } from '../../../services/label-joiner/src/decode-inputs.ts';

// JSON values: no registry is asked. An Avro value would be (and the registry being away is no DecodeError).
const codecs = createCodecs({
  writerType: async () => {
    throw new ServerUnavailableError('schema registry', 'away');
  },
});

const prediction = (id: string) =>
  JSON.stringify({
    prediction_id: id,
    model_id: 'churn',
    model_version: 'v1',
    timestamp: 1_767_268_800_000,
    features: { age: 42 },
    prediction: { label: 'yes' },
  });
const label = (id: string) =>
  JSON.stringify({ prediction_id: id, timestamp: 1_767_268_900_000, label: 'no' });

const message = (key: Buffer | string | null, value: Buffer | string, offset: number): KafkaMessage =>
  ({
    key: typeof key === 'string' ? Buffer.from(key) : key,
    value: Buffer.from(value),
    offset: String(offset),
    timestamp: '0',
    attributes: 0,
    headers: {},
  }) as KafkaMessage;

describe('decodeInputs', () => {
  it('shouldRejectARecordWhoseKeyIsNotItsPredictionIdAndKeepTheRestOfTheBatch', async () => {
    const batch = [
      message('p-1', prediction('p-1'), 10),
      message('p-9', prediction('p-2'), 11),
      message(null, prediction('p-3'), 12),
      message('p-4', prediction('p-4'), 13),
    ];
    const { inputs, rejected } = await decodeInputs(() => 'predictions', 'inf', 2, batch, codecs, false);
    expect(inputs.map((i) => i.event.prediction_id)).toEqual(['p-1', 'p-4']);
    expect(rejected.map((r) => [r.message.offset, r.reason, r.topic, r.partition])).toEqual([
      ['11', 'key_mismatch', 'inf', 2],
      ['12', 'key_mismatch', 'inf', 2],
    ]);
    expect(rejected[0]!.error).toContain('"p-9"');
    expect(rejected[0]!.error).toContain('"p-2"');
    expect(rejected[1]!.error).toMatch(/^no key/);
  });

  it('shouldRejectALabelWithAnotherKeyAndKeepItsSourceOnlyWhenItIsJoinable', async () => {
    const batch = [message('q', label('p-1'), 5), message('p-2', label('p-2'), 6)];
    const { inputs, rejected } = await decodeInputs(() => 'labels', 'gt', 0, batch, codecs, true);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({ kind: 'label', source: { partition: 0, offset: '6' } });
    expect(rejected.map((r) => r.reason)).toEqual(['key_mismatch']);
  });

  it('shouldReportTheDecodeReasonRatherThanTheKeyWhenTheValueItselfIsBad', async () => {
    const batch = [message('x', '{"prediction_id": 1}', 1), message('y', 'not json', 2)];
    const { rejected } = await decodeInputs(() => 'predictions', 'inf', 0, batch, codecs, false);
    expect(rejected.map((r) => r.reason)).toEqual(['invalid_record', 'unknown_encoding']);
  });

  it('shouldThrowAServerErrorSoTheBatchIsRetriedWhole', async () => {
    const avro = Buffer.from([0, 0, 0, 0, 7, 2]);
    await expect(
      decodeInputs(() => 'predictions', 'inf', 0, [message('a', avro, 1)], codecs, false),
    ).rejects.toBeInstanceOf(ServerUnavailableError);
  });
});

describe('checkKey', () => {
  it('shouldAcceptTheUtf8BytesOfThePredictionIdOnly', () => {
    expect(() => checkKey(Buffer.from('préd-1'), 'préd-1')).not.toThrow();
    expect(() => checkKey(Buffer.from('préd-1', 'latin1'), 'préd-1')).toThrow(DecodeError);
    expect(() => checkKey(Buffer.alloc(0), 'p')).toThrow(/the key "" \(0 bytes\)/);
    expect(() => checkKey(Buffer.from('p '), 'p')).toThrow(DecodeError);
    expect(() => checkKey(Buffer.from('pred-2'), 'pred-1')).toThrow(DecodeError);
    expect(() => checkKey(Buffer.from('pred-1'), 'pred-1')).not.toThrow();
    expect(() => checkKey(Buffer.from('abcdé'), 'abcdéf')).toThrow(DecodeError);
    expect(() => checkKey(Buffer.from('ab\ud800'), 'ab\ud800')).not.toThrow();
  });

  it('shouldQuoteAtMost64CharactersOfALongKey', () => {
    const error = (() => {
      try {
        checkKey(Buffer.alloc(10_240, 'k'), 'p-1');
      } catch (e) {
        return e as DecodeError;
      }
    })()!;
    expect(error.reason).toBe('key_mismatch');
    expect(error.retriable).toBe(false);
    expect(error.message).toContain(`"${'k'.repeat(64)}"… (10240 bytes)`);
    expect(error.message.length).toBeLessThan(200);
  });
});
