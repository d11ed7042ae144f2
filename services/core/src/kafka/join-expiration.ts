import { DecodeError } from '../errors.ts';

/**
 * An internal record of the label joiner: a prediction that got no label within the maximum label delay
 * (`unlabeled`), or a label whose prediction never came (`orphan`). One per expired entry, produced in the
 * joiner's transactions, so counting them counts exactly. JSON values: the topic is internal (not in the
 * contract) and has no registered schema. Key: prediction_id.
 */
export interface JoinExpiration {
  prediction_id: string;
  /** Empty when unknown: an orphan label that did not name its model. */
  model_id: string;
  /** Empty for orphans. */
  model_version: string;
  kind: 'unlabeled' | 'orphan';
  /** Event time of the expired event: predicted_at, or the label's timestamp. */
  event_at: number;
  /** The deadline the watermark passed: event_at + the configured delay. */
  expired_at: number;
}

export function encodeJoinExpiration(e: JoinExpiration): Buffer {
  return Buffer.from(JSON.stringify(e));
}

/**
 * Parses and checks an expiration record.
 * @throws DecodeError (not retriable) naming the first problem.
 */
export function decodeJoinExpiration(value: Buffer | null): JoinExpiration {
  if (value === null) throw new DecodeError('unknown_encoding', 'value is null (tombstone)');
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(value.toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DecodeError('json_parse_failed', `not JSON: ${(error as Error).message}`, error);
  }
  const strings = ['prediction_id', 'model_id', 'model_version'] as const;
  for (const f of strings) if (typeof v[f] !== 'string') throw invalid(`${f} must be a string`);
  for (const f of ['event_at', 'expired_at'])
    if (!Number.isFinite(v[f])) throw invalid(`${f} must be a number`);
  if (v.kind !== 'unlabeled' && v.kind !== 'orphan') throw invalid('kind must be unlabeled or orphan');
  return v as unknown as JoinExpiration;
}

function invalid(detail: string): DecodeError {
  return new DecodeError('invalid_record', `join expiration: ${detail}`);
}
