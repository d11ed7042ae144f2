import avro from 'avsc';
import { CorruptStateError } from './errors.ts';

/** What a pending prediction keeps: enough to emit the joined pair, not the features. */
export interface PendingPrediction {
  model_id: string;
  model_version: string;
  predicted_at: number;
  predicted_label: string | null;
  predicted_value: number | null;
  scores: Record<string, number> | null;
  tags: Record<string, string> | null;
}

/** Where a label came from, kept only to dead-letter it as it arrived if it expires as an orphan. */
export interface LabelSource {
  partition: number;
  offset: string;
  value: Buffer;
}

export interface StoredLabel {
  label: string | number;
  labeled_at: number;
  model_id: string | null;
  source: LabelSource | null;
}

/**
 * The join state of one prediction id: a prediction waiting for its label, a label waiting for its prediction,
 * or a joined marker that remembers the pair until it expires, so later duplicates are recognised (and, for
 * the `last` policy, corrected). `expiresAt` is in event time: the entry expires once the watermark passes it.
 */
export type JoinState =
  | { kind: 'prediction'; expiresAt: number; prediction: PendingPrediction }
  | { kind: 'label'; expiresAt: number; label: StoredLabel }
  | {
      kind: 'joined';
      expiresAt: number;
      prediction: PendingPrediction | null;
      label: StoredLabel | null;
      corrections: number;
    };

const KIND_BYTE = { prediction: 1, label: 2, joined: 3 } as const;
const KIND_OF_BYTE = ['', 'prediction', 'label', 'joined'] as const;
/** Kind byte + expiry: readable without decoding the body (index rebuild on restore, expiry checks). */
export const HEADER_LENGTH = 9;

const body = avro.Type.forSchema({
  type: 'record',
  name: 'JoinStateBody',
  namespace: 'io.driftline.internal.joiner',
  fields: [
    {
      name: 'prediction',
      type: [
        'null',
        {
          type: 'record',
          name: 'PendingPrediction',
          fields: [
            { name: 'model_id', type: 'string' },
            { name: 'model_version', type: 'string' },
            { name: 'predicted_at', type: 'long' },
            { name: 'predicted_label', type: ['null', 'string'] },
            { name: 'predicted_value', type: ['null', 'double'] },
            { name: 'scores', type: ['null', { type: 'map', values: 'double' }] },
            { name: 'tags', type: ['null', { type: 'map', values: 'string' }] },
          ],
        },
      ],
    },
    {
      name: 'label',
      type: [
        'null',
        {
          type: 'record',
          name: 'StoredLabel',
          fields: [
            { name: 'label', type: ['string', 'double'] },
            { name: 'labeled_at', type: 'long' },
            { name: 'model_id', type: ['null', 'string'] },
            {
              name: 'source',
              type: [
                'null',
                {
                  type: 'record',
                  name: 'LabelSource',
                  fields: [
                    { name: 'partition', type: 'int' },
                    { name: 'offset', type: 'string' },
                    { name: 'value', type: 'bytes' },
                  ],
                },
              ],
            },
          ],
        },
      ],
    },
    { name: 'corrections', type: 'int' },
  ],
});

interface Body {
  prediction: PendingPrediction | null;
  label: StoredLabel | null;
  corrections: number;
}

/**
 * Where bodies are encoded before being copied out at their exact size: avsc's `toBuffer` would allocate a
 * zero-filled, unpooled buffer per entry, then the header needs a second one. Grows on demand.
 */
let scratch = Buffer.allocUnsafe(4096);
const MAX_SCRATCH = 1 << 20;
const TWO_32 = 2 ** 32;

/** Store value: [kind byte][expiresAt, int64 big-endian][Avro body]. Pure. */
export function encodeJoinState(state: JoinState): Buffer {
  const b: Body = {
    prediction: state.kind === 'label' ? null : state.prediction,
    label: state.kind === 'prediction' ? null : state.label,
    corrections: state.kind === 'joined' ? state.corrections : 0,
  };
  let end = body.encode(b, scratch, HEADER_LENGTH);
  if (end < HEADER_LENGTH) {
    // A negative end is the number of bytes missing; the buffer grows to twice the need, up to MAX_SCRATCH.
    const need = scratch.length - end;
    const into = need > MAX_SCRATCH ? Buffer.allocUnsafe(need) : (scratch = Buffer.allocUnsafe(2 * need));
    end = body.encode(b, into, HEADER_LENGTH);
    return withJoinHeader(state, into, end);
  }
  return withJoinHeader(state, scratch, end);
}

/** Copies an entry encoded in `encoded` (its body from HEADER_LENGTH to `end`) out and writes its header. */
function withJoinHeader(state: JoinState, encoded: Buffer, end: number): Buffer {
  const out = Buffer.allocUnsafe(end);
  out[0] = KIND_BYTE[state.kind];
  // The int64 as two 32-bit halves: no BigInt per entry (expiries are integers far below 2^53).
  const high = Math.floor(state.expiresAt / TWO_32);
  out.writeInt32BE(high, 1);
  out.writeUInt32BE(state.expiresAt - high * TWO_32, 5);
  encoded.copy(out, HEADER_LENGTH, HEADER_LENGTH, end);
  return out;
}

/** The expiry written in a value's header, without decoding the body. */
export function expiresAtOf(value: Buffer): number {
  return value.readInt32BE(1) * TWO_32 + value.readUInt32BE(5);
}

/**
 * Inverse of `encodeJoinState`.
 * @throws CorruptStateError (not retriable) for bytes it did not write.
 */
export function decodeJoinState(value: Buffer): JoinState {
  const kind = KIND_OF_BYTE[value[0]!];
  if (!kind || value.length < HEADER_LENGTH)
    throw new CorruptStateError(`not a join state: kind byte ${value[0]}`);
  const expiresAt = expiresAtOf(value);
  let b: Body;
  try {
    // Decoded in place (no view of the body per entry); `offset` is -1 for a truncated body.
    const decoded = body.decode(value, HEADER_LENGTH);
    if (decoded.offset !== value.length)
      throw new Error(decoded.offset < 0 ? 'truncated buffer' : 'trailing data');
    b = decoded.value as Body;
  } catch (error) {
    throw new CorruptStateError(`${kind} entry does not decode: ${(error as Error).message}`);
  }
  if (kind === 'prediction') return { kind, expiresAt, prediction: b.prediction! };
  if (kind === 'label') return { kind, expiresAt, label: b.label! };
  return { kind, expiresAt, prediction: b.prediction, label: b.label, corrections: b.corrections };
}
