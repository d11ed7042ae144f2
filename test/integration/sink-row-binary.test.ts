import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../services/core/src/clickhouse/migrate.ts';
import { ClickHouseWriter } from '../../services/core/src/clickhouse/writer.ts';
import type { InferenceEvent } from '../../services/core/src/records/records.generated.ts';
import { INFERENCE_LOG, INFERENCE_LOG_COLUMNS } from '../../services/core/src/tables/inference-log.ts';
import type { InferenceLogRow } from '../../services/core/src/tables/inference-log.ts';
import {
  LABELED_PREDICTIONS,
  type LabeledPredictionRow,
} from '../../services/core/src/tables/labeled-predictions.ts';
import { inferenceRow } from '../../services/sink/src/rows.ts';
import { rows, testClickHouse } from './utils/clickhouse.ts';
import { at, BIG_OFFSET, T0, trickySinkTables } from './utils/sink-tricky-rows.ts';

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
    const tables = trickySinkTables();
    for (const { target, rows: written } of tables) {
      await writer.insert(viaJson, target.table, written);
      await writer.insertRowBinary(viaRowBinary, target, written);
    }
    for (const { target, order, rows: written } of tables) {
      const json = await readAll(viaJson, target.table, order);
      const binary = await readAll(viaRowBinary, target.table, order);
      expect(json, target.table).toHaveLength(written.length);
      expect(binary, target.table).toEqual(json);
    }
    const inference = tables[0]!.rows as InferenceLogRow[];
    const labeled = tables[2]!.rows as LabeledPredictionRow[];
    // and they are the values written, not just the same on both sides
    const [first] = await rows<Record<string, unknown>>(
      ch,
      `SELECT prediction_id, features, num_feature_values, cat_feature_values, source_offset, toUnixTimestamp(event_time) AS t, event_time_ms, embeddings
       FROM ${viaRowBinary}.${INFERENCE_LOG} WHERE source_offset = ${BIG_OFFSET}`,
    );
    expect(first).toEqual({
      prediction_id: inference[1]!.prediction_id,
      features: inference[1]!.features,
      num_feature_values: inference[1]!.num_feature_values,
      cat_feature_values: inference[1]!.cat_feature_values,
      source_offset: BIG_OFFSET,
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
