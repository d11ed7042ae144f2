import type { TableColumns } from '../../../services/core/src/clickhouse/writer.ts';
import type { InferenceEvent } from '../../../services/core/src/records/records.generated.ts';
import { GROUND_TRUTH, GROUND_TRUTH_COLUMNS } from '../../../services/core/src/tables/ground-truth.ts';
import { INFERENCE_LOG, INFERENCE_LOG_COLUMNS } from '../../../services/core/src/tables/inference-log.ts';
import {
  JOIN_EXPIRATIONS,
  JOIN_EXPIRATIONS_COLUMNS,
} from '../../../services/core/src/tables/join-expirations.ts';
import {
  LABELED_PREDICTIONS,
  LABELED_PREDICTIONS_COLUMNS,
} from '../../../services/core/src/tables/labeled-predictions.ts';
import {
  groundTruthRow,
  inferenceRow,
  joinExpirationRow,
  labeledPredictionRow,
} from '../../../services/sink/src/rows.ts';

/**
 * Rows of the sink's four tables, built by the sink's own row functions from events full of what text formats
 * escape (tabs, newlines, backslashes, quotes, unicode, long strings), nulls, empty and non-empty arrays,
 * negative and large integers, and DateTimes across a month end; every value JSON can carry as well.
 */
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
export const T0 = Date.UTC(2026, 0, 31, 23, 59, 59, 999);
/** Row 1's offset is 2^53 + 1, a Kafka offset no double holds. */
export const BIG_OFFSET = '9007199254740993';
export const at = (i: number) => ({
  partition: i % 3,
  offset: i === 1 ? BIG_OFFSET : String(i * 1_000_003),
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

export interface TrickyTable {
  target: TableColumns;
  /** A column that orders the rows when read back. */
  order: string;
  rows: object[];
}

export function trickySinkTables(): TrickyTable[] {
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
  return [
    {
      target: { table: INFERENCE_LOG, columns: INFERENCE_LOG_COLUMNS },
      order: 'prediction_id',
      rows: inference,
    },
    { target: { table: GROUND_TRUTH, columns: GROUND_TRUTH_COLUMNS }, order: 'source_offset', rows: truth },
    {
      target: { table: LABELED_PREDICTIONS, columns: LABELED_PREDICTIONS_COLUMNS },
      order: 'prediction_id',
      rows: labeled,
    },
    {
      target: { table: JOIN_EXPIRATIONS, columns: JOIN_EXPIRATIONS_COLUMNS },
      order: 'source_offset',
      rows: expired,
    },
  ];
}
