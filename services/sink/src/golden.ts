import { createHash } from 'node:crypto';
import type { Alert, InferenceEvent } from '../../core/src/records/records.generated.ts';
import type { SourcePosition } from './rows.ts';

/** A row of golden_checks: one golden-set event, its expected and predicted output, and the verdict. */
export interface GoldenCheckRow {
  prediction_id: string;
  model_id: string;
  model_version: string;
  event_time: number;
  event_time_ms: number;
  expected_label: string | null;
  expected_value: number | null;
  predicted_label: string | null;
  predicted_value: number | null;
  passed: 0 | 1;
  source_partition: number;
  source_offset: string;
  ingested_at: number;
}

/** Regression outputs agree within this relative tolerance (a model served twice may round differently). */
export const GOLDEN_VALUE_TOLERANCE = 1e-9;

/**
 * The golden check of an event, or null when it is not a golden-set event. A classifier passes when its label
 * is the expected one; a regressor when its value is within GOLDEN_VALUE_TOLERANCE (relative) of the expected
 * value. An expectation the prediction cannot meet (a label expected of a regressor) fails. Pure.
 */
export function goldenCheck(e: InferenceEvent, at: SourcePosition, nowMs: number): GoldenCheckRow | null {
  const expected = e.golden_expected;
  if (!expected || (expected.label == null && expected.value == null)) return null;
  const label = e.prediction.label ?? null;
  const value = e.prediction.value ?? null;
  const labelOk = expected.label == null || expected.label === label;
  const valueOk =
    expected.value == null ||
    (value !== null &&
      Math.abs(value - expected.value) <= GOLDEN_VALUE_TOLERANCE * Math.max(1, Math.abs(expected.value)));
  return {
    prediction_id: e.prediction_id,
    model_id: e.model_id,
    model_version: e.model_version,
    event_time: Math.floor(e.timestamp / 1000),
    event_time_ms: e.timestamp,
    expected_label: expected.label ?? null,
    expected_value: expected.value ?? null,
    predicted_label: label,
    predicted_value: value,
    passed: labelOk && valueOk ? 1 : 0,
    source_partition: at.partition,
    source_offset: at.offset,
    ingested_at: Math.floor(nowMs / 1000),
  };
}

const shown = (label: string | null, value: number | null) => (label !== null ? label : String(value));

/**
 * The alert for a failed golden check: critical and final at once (no label to wait for). Its id depends on
 * the event alone, so a redelivered event publishes the same alert again, which consumers de-duplicate.
 */
export function goldenAlert(row: GoldenCheckRow, nowMs: number): Alert {
  const alertId = createHash('sha256')
    .update(['golden', row.model_id, row.model_version, row.prediction_id].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  const expected = shown(row.expected_label, row.expected_value);
  const predicted = shown(row.predicted_label, row.predicted_value);
  return {
    alert_id: alertId,
    model_id: row.model_id,
    model_version: row.model_version,
    kind: 'PERFORMANCE',
    severity: 'CRITICAL',
    status: 'FIRING',
    window_start: row.event_time_ms,
    window_end: row.event_time_ms,
    metric: 'golden_mismatch',
    value: 0,
    threshold: 1,
    message: `golden-set input ${row.prediction_id}: ${row.model_id} ${row.model_version} predicted ${predicted}, expected ${expected}`,
    evidence: [
      {
        subject: row.prediction_id,
        subject_type: 'golden',
        method: 'expected_output',
        score: 0,
        test: 'golden',
      },
    ],
    diagnosis: null,
    provisional: false,
    created_at: nowMs,
  };
}
