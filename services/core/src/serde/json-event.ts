import { isUtf8 } from 'node:buffer';
import { DecodeError } from '../errors.ts';
import { checkJsonDepth } from './limits.ts';

/**
 * Parses a JSON value as the contract allows: same field names as Avro, timestamps as epoch milliseconds or
 * ISO-8601 strings, optional fields may be absent. The text must be UTF-8 and no deeper than INPUT_LIMITS.maxJsonDepth. Returns a plain object ready for type checking.
 * @throws DecodeError('json_parse_failed' | 'invalid_record')
 */
export function parseJsonEvent(value: Buffer, timestampFields: readonly string[]): Record<string, unknown> {
  if (!isUtf8(value)) throw new DecodeError('json_parse_failed', 'value is not valid UTF-8');
  checkJsonDepth(value);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch (error) {
    throw new DecodeError('json_parse_failed', `value is not valid JSON: ${(error as Error).message}`, error);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new DecodeError('json_parse_failed', 'JSON value must be an object');
  }
  const record = parsed as Record<string, unknown>;
  for (const field of timestampFields) {
    if (field in record) record[field] = toEpochMillis(record[field], field);
  }
  return record;
}

export function toEpochMillis(x: unknown, field: string): unknown {
  if (typeof x !== 'string') return x;
  if (/^\d+$/.test(x)) return Number(x);
  const ms = Date.parse(x);
  if (Number.isNaN(ms))
    throw new DecodeError('invalid_record', `${field} is not an ISO-8601 time: ${JSON.stringify(x)}`);
  return ms;
}
