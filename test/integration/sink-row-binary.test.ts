import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../services/core/src/clickhouse/migrate.ts';
import { ClickHouseWriter, type TableColumns } from '../../services/core/src/clickhouse/writer.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { GROUND_TRUTH, GROUND_TRUTH_COLUMNS } from '../../services/core/src/tables/ground-truth.ts';
import { INFERENCE_LOG, INFERENCE_LOG_COLUMNS } from '../../services/core/src/tables/inference-log.ts';
import {
  JOIN_EXPIRATIONS,
  JOIN_EXPIRATIONS_COLUMNS,
} from '../../services/core/src/tables/join-expirations.ts';
import {
  LABELED_PREDICTIONS,
  LABELED_PREDICTIONS_COLUMNS,
} from '../../services/core/src/tables/labeled-predictions.ts';
import {
  groundTruthRow,
  inferenceRow,
  joinExpirationRow,
  labeledPredictionRow,
} from '../../services/sink/src/rows.ts';
import { rows, testClickHouse } from './utils/clickhouse.ts';

/**
 * The sink's RowBinary inserts against the JSONEachRow inserts they replaced, on the real local ClickHouse: the
 * same tricky rows (built by the sink's own row functions) written both ways into two databases read back the
 * same, column for column; and what JSON cannot carry (NaN, infinities) lands exactly.
 */
const ch = testClickHouse();
const id = randomBytes(4).toString('hex');
const viaJson = `test_${id}_json`;
const viaRowBinary = `test_${id}_rowbinary`;
const writer = new ClickHouseWriter(ch, { attempts: 1 });

const TRICKY = [
  '',
  'tab\there',
  'new\nline\r\n',
  'back\\slash \\N \\t',
  'quotes \' " `',
  'unicode é ü ß 中文 😀 \u0001 \u007f',
  `long ${'é€😀x'.repeat(40)}`, // past one byte of length
  'x'.repeat(20_000),
  '{"json":"inside","n":[1,2]}',
];
const T0 = Date.UTC(2026, 0, 31, 23, 59, 59, 999);
const at = (i: number) => ({
  partition: i % 3, // 2^53 + 1: a Kafka offset no double holds
  offset: i === 1 ? '9007199254740993' : String(i * 1_000_003),
});

function inferenceEvents(): InferenceEvent[] {
  return TRICKY.map((text, i) => ({
    prediction_id: `p-${i}-${text.slice(0, 30)}`,
    model_id: i % 2 ? 'model\t1' : 'model-é',
    model_version: text.slice(0, 50),
    timestamp: T0 + i * 86_400_123,
    features: {
      [`num ${text.slice(0, 40)}`]: i * 0.1 + 0.2,
      tiny: 2.2250738585072014e-308,
      big: -1.7976931348623157e308,
      third: 1 / 3,
      [`cat ${i}`]: text,
      flag: i % 2 === 0,
      missing: null,
    },
    prediction:
      i % 3 === 0
        ? { label: text, scores: { [text.slice(0, 10)]: 0.25, other: 0.75 } }
        : i % 3 === 1
          ? { value: -i * 1.1 }
          : {},
    latency_ms: i % 2 ? i * 0.5 : null,
    tags: i % 2 ? { [`k ${text.slice(0, 20)}`]: text.slice(0, 100), env: 'prod' } : null,
  }));
}

async function writeBothWays(target: TableColumns, table: object[]): Promise<void> {
  await writer.insert(viaJson, target.table, table);
  await writer.insertRowBinary(viaRowBinary, target, table);
}

const readAll = (database: string, table: string, order: string) =>
  rows(ch, `SELECT * FROM ${database}.${table} ORDER BY ${order}`);

describe('sink rows in RowBinary (real ClickHouse)', () => {
  beforeAll(async () => {
    await migrate(ch, viaJson);
    await migrate(ch, viaRowBinary);
  });
  afterAll(async () => {
    await ch.command({ query: `DROP DATABASE IF EXISTS ${viaJson}` });
    await ch.command({ query: `DROP DATABASE IF EXISTS ${viaRowBinary}` });
    await ch.close();
  });

  it('shouldStoreTheSameRowsAsJsonEachRowWhenValuesAreTricky', async () => {
    const now = Date.UTC(2026, 1, 1, 0, 0, 0, 1);
    const inference = inferenceEvents().map((e, i) => inferenceRow(e, at(i), now, i % 2 === 0));
    inference[0]!.embeddings = JSON.stringify({ text: [0.5, -1e-10] });
    const truth = TRICKY.map((text, i) =>
      groundTruthRow(
        {
          prediction_id: text,
          timestamp: T0 - i * 1000,
          label: i % 2 ? text : i * 2.5,
          model_id: i % 3 ? text : null,
        },
        at(i),
        now,
      ),
    );
    const labeled = TRICKY.map((text, i) =>
      labeledPredictionRow(
        {
          prediction_id: `l-${i}`,
          model_id: text.slice(0, 60),
          model_version: 'v\n1',
          predicted_at: T0 + i * 1000,
          labeled_at: T0 - i * 7_000, // a label before its prediction: a negative delay
          predicted_label: i % 2 ? text : null,
          predicted_value: i % 2 ? null : i / 7,
          scores: i % 2 ? { a: 0.1 } : null,
          label: i % 3 ? text : -i - 0.5,
          tags: i % 2 ? { [text.slice(0, 5)]: text.slice(0, 5), b: '' } : {},
          correction: i % 2 === 1,
        },
        at(i),
        now,
      ),
    );
    const expired = TRICKY.map((text, i) =>
      joinExpirationRow(
        {
          prediction_id: text.slice(0, 100) || 'empty',
          model_id: text.slice(0, 3),
          model_version: '',
          kind: i % 2 ? 'orphan' : 'unlabeled',
          event_at: T0 + i,
          expired_at: T0 + i + 86_400_000,
        },
        at(i),
        now,
      ),
    );
    await writeBothWays({ table: INFERENCE_LOG, columns: INFERENCE_LOG_COLUMNS }, inference);
    await writeBothWays({ table: GROUND_TRUTH, columns: GROUND_TRUTH_COLUMNS }, truth);
    await writeBothWays({ table: LABELED_PREDICTIONS, columns: LABELED_PREDICTIONS_COLUMNS }, labeled);
    await writeBothWays({ table: JOIN_EXPIRATIONS, columns: JOIN_EXPIRATIONS_COLUMNS }, expired);

    for (const [table, order, written] of [
      [INFERENCE_LOG, 'prediction_id', inference],
      [GROUND_TRUTH, 'source_offset', truth],
      [LABELED_PREDICTIONS, 'prediction_id', labeled],
      [JOIN_EXPIRATIONS, 'source_offset', expired],
    ] as const) {
      const json = await readAll(viaJson, table, order);
      const binary = await readAll(viaRowBinary, table, order);
      expect(json, table).toHaveLength(written.length);
      expect(binary, table).toEqual(json);
    }
    // and they are the values written, not just the same on both sides
    const [first] = await rows<Record<string, unknown>>(
      ch,
      `SELECT prediction_id, features, num_feature_values, cat_feature_values, source_offset, toUnixTimestamp(event_time) AS t, event_time_ms, embeddings
       FROM ${viaRowBinary}.${INFERENCE_LOG} WHERE source_offset = 9007199254740993`,
    );
    expect(first).toEqual({
      prediction_id: inference[1]!.prediction_id,
      features: inference[1]!.features,
      num_feature_values: inference[1]!.num_feature_values,
      cat_feature_values: inference[1]!.cat_feature_values,
      source_offset: '9007199254740993',
      t: Math.floor(inference[1]!.event_time_ms / 1000),
      event_time_ms: String(inference[1]!.event_time_ms),
      embeddings: '',
    });
    const delays = await rows<{ d: string }>(
      ch,
      `SELECT toString(label_delay_ms) AS d FROM ${viaRowBinary}.${LABELED_PREDICTIONS} ORDER BY prediction_id`,
    );
    expect(delays.map((r) => Number(r.d))).toEqual(labeled.map((r) => r.label_delay_ms));
  });

  // JSON has no NaN or infinities (JSON.stringify writes null), drops the sign of -0, and 18.16's JSON reader
  // turns a subnormal (5e-324) into 0; RowBinary carries the double's bits.
  it('shouldStoreNaNInfinitiesMinusZeroAndSubnormalsExactlyWhenJsonCouldNot', async () => {
    const event: InferenceEvent = {
      prediction_id: 'nan',
      model_id: 'm',
      model_version: 'v',
      timestamp: T0,
      features: { a: NaN, b: Infinity, c: -Infinity, d: -0, e: 5e-324 },
      prediction: { value: NaN },
      latency_ms: Infinity,
    };
    await writer.insertRowBinary(viaRowBinary, { table: INFERENCE_LOG, columns: INFERENCE_LOG_COLUMNS }, [
      inferenceRow(event, at(0), T0),
    ]);
    const [row] = await rows<Record<string, unknown>>(
      ch,
      `SELECT arrayMap(x -> toString(x), num_feature_values) AS values, toString(predicted_value) AS value,
              toString(latency_ms) AS latency, features
       FROM ${viaRowBinary}.${INFERENCE_LOG} WHERE prediction_id = 'nan'`,
    );
    expect(row).toEqual({
      values: ['nan', 'inf', '-inf', '-0', '5e-324'],
      value: 'nan',
      latency: 'inf',
      features: JSON.stringify(event.features),
    });
  });
});
