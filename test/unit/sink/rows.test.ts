import { describe, expect, it } from 'vitest';
import { groundTruthRow, inferenceRow } from '../../../services/sink/src/rows.ts';
import { decodeBatch } from '../../../services/sink/src/processor.ts';
import { DecodeError, ServerUnavailableError } from '../../../services/core/src/errors.ts';
import type { KafkaMessage } from '../../../services/core/src/kafka/client.ts';

const at = { partition: 2, offset: '41' };

describe('sink rows', () => {
  it('shouldSplitFeaturesByTypeAndKeepMillisecondsBesideSeconds', () => {
    const row = inferenceRow(
      {
        prediction_id: 'p',
        model_id: 'm',
        model_version: '1',
        timestamp: 1_700_000_000_999,
        features: { a: 1.5, b: 'x', c: true, d: null },
        prediction: { label: 'yes', scores: { yes: 0.9 } },
        tags: { region: 'eu' },
      },
      at,
      1_700_000_100_000,
    );
    expect(row).toMatchObject({
      event_time: 1_700_000_000,
      event_time_ms: 1_700_000_000_999,
      num_feature_names: ['a'],
      num_feature_values: [1.5],
      cat_feature_names: ['b', 'c'],
      cat_feature_values: ['x', 'true'],
      scores: '{"yes":0.9}',
      predicted_value: null,
      latency_ms: null,
      tag_keys: ['region'],
      tag_values: ['eu'],
      source_partition: 2,
      source_offset: '41',
      ingested_at: 1_700_000_100,
    });
  });

  it('shouldKeepNumericLabelsAsTextAndValue', () => {
    expect(
      groundTruthRow({ prediction_id: 'p', timestamp: 1_700_000_000_000, label: 2.5 }, at, 0),
    ).toMatchObject({ label: '2.5', label_value: 2.5, model_id: '' });
    expect(
      groundTruthRow({ prediction_id: 'p', timestamp: 1_700_000_000_000, label: 'no', model_id: 'm' }, at, 0),
    ).toMatchObject({ label: 'no', label_value: null, model_id: 'm' });
  });
});

describe('decodeBatch', () => {
  const msg = (offset: string, value: string): KafkaMessage =>
    ({
      offset,
      value: Buffer.from(value),
      key: null,
      timestamp: '0',
      attributes: 0,
      headers: {},
    }) as KafkaMessage;

  it('shouldSetAsideUndecodableMessagesWithTheirReason', async () => {
    const decode = async (v: Buffer | null) => {
      if (v!.toString() === 'bad') throw new DecodeError('invalid_record', 'missing field prediction_id');
      return v!.toString();
    };
    const rows: string[] = [];
    const out = await decodeBatch('t', 0, [msg('1', 'ok'), msg('2', 'bad'), msg('3', 'fine')], decode, (r) =>
      rows.push(r.toUpperCase()),
    );
    expect(rows).toEqual(['OK', 'FINE']);
    expect(out.taken).toBe(2);
    expect(out.rejected.map((r) => [r.message.offset, r.reason, r.error])).toEqual([
      ['2', 'invalid_record', 'missing field prediction_id'],
    ]);
  });

  it('shouldThrowWhenTheRegistryIsDownSoTheBatchIsRetriedWhole', async () => {
    const decode = async () => {
      throw new ServerUnavailableError('schema registry', 'connection refused');
    };
    await expect(decodeBatch('t', 0, [msg('1', 'x')], decode, () => undefined)).rejects.toThrow(
      'connection refused',
    );
  });
});
