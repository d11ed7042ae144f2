import avro from 'avsc';
import { DecodeError } from '../errors.ts';
import type { GroundTruthEvent, InferenceEvent } from '../records/records.generated.ts';
import { checkIdLength } from './limits.ts';

/**
 * Checks a decoded value against its Avro type and the contract's rules that Avro cannot express, and
 * names the first offending field. Pure: the same checks run for Avro and JSON input.
 * @throws DecodeError('invalid_record')
 */
export function checkAgainstType(type: avro.Type, value: unknown): void {
  const problems: string[] = [];
  type.isValid(value, {
    errorHook: (path: string[], any: unknown) => {
      problems.push(
        any === undefined
          ? `missing field ${path.join('.')}`
          : `invalid ${path.join('.') || 'record'}: ${preview(any)}`,
      );
    },
  });
  if (problems.length > 0) throw new DecodeError('invalid_record', problems.slice(0, 3).join('; '));
}

export function checkInference(e: Omit<InferenceEvent, 'features'>): void {
  requireId(e.prediction_id, 'prediction_id');
  requireId(e.model_id, 'model_id');
  requireId(e.model_version, 'model_version');
  requireTimestamp(e.timestamp, 'timestamp');
  const p = e.prediction;
  const hasLabel = p.label !== null && p.label !== undefined;
  const hasValue = p.value !== null && p.value !== undefined;
  if (!hasLabel && !hasValue)
    throw new DecodeError('invalid_record', 'prediction needs a label (classifier) or a value (regressor)');
  if (hasValue && !Number.isFinite(p.value))
    throw new DecodeError('invalid_record', `prediction.value is not finite: ${p.value}`);
  for (const [cls, score] of Object.entries(p.scores ?? {})) {
    if (!Number.isFinite(score) || score < 0 || score > 1) {
      throw new DecodeError(
        'invalid_record',
        `prediction.scores.${cls} must be a probability in [0, 1], got ${score}`,
      );
    }
  }
  if (e.latency_ms !== null && e.latency_ms !== undefined && !(e.latency_ms >= 0)) {
    throw new DecodeError('invalid_record', `latency_ms must be >= 0, got ${e.latency_ms}`);
  }
}

export function checkGroundTruth(e: GroundTruthEvent): void {
  requireId(e.prediction_id, 'prediction_id');
  requireTimestamp(e.timestamp, 'timestamp');
  if (typeof e.label === 'number' && !Number.isFinite(e.label)) {
    throw new DecodeError('invalid_record', `label is not finite: ${e.label}`);
  }
}

function requireId(value: string, field: string): void {
  if (value.length === 0) throw new DecodeError('invalid_record', `${field} must not be empty`);
  checkIdLength(value, field);
}

// Event time before 2000 or after 2100 is almost surely seconds-vs-milliseconds confusion.
const MIN_TS = 946_684_800_000;
const MAX_TS = 4_102_444_800_000;

function requireTimestamp(ts: number, field: string): void {
  if (!Number.isInteger(ts) || ts < MIN_TS || ts > MAX_TS) {
    throw new DecodeError(
      'invalid_record',
      `${field} must be epoch milliseconds between 2000 and 2100, got ${ts}`,
    );
  }
}

function preview(x: unknown): string {
  const s = safeStringify(x);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** JSON.stringify overflows the stack on a deeply nested value: a message must never throw. */
function safeStringify(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return Array.isArray(x) ? '[...]' : typeof x === 'object' ? '{...}' : String(x);
  }
}
