import { DecodeError } from '../../core/src/errors.ts';
import type { KafkaMessage } from '../../core/src/kafka/client.ts';
import type { Rejected } from '../../core/src/kafka/dead-letter.ts';
import type { Codecs } from '../../core/src/serde/codecs.ts';
import type { JoinInput } from './join-processor.ts';
import type { Side } from './watermark.ts';

export interface DecodedInputs {
  inputs: JoinInput[];
  rejected: Rejected[];
}

/**
 * Decodes a batch, each message as the input `sideOf` names (a message without one is rejected). Only
 * DecodeError rejects a message (to the dead-letter topic, in the batch's transaction); anything else, such
 * as a registry outage, is thrown so the batch is retried whole. A record whose key is not its prediction_id
 * is rejected too (`key_mismatch`): see checkKey.
 */
export async function decodeInputs(
  sideOf: (message: KafkaMessage) => Side | undefined,
  topic: string,
  partition: number,
  messages: readonly KafkaMessage[],
  codecs: Codecs,
  keepLabelSource: boolean,
): Promise<DecodedInputs> {
  const inputs: JoinInput[] = [];
  const rejected: Rejected[] = [];
  for (const message of messages) {
    try {
      // Decoded inline rather than in a helper: one async call per record fewer (a promise and a microtask).
      const side = sideOf(message);
      let input: JoinInput;
      if (side === 'predictions') {
        const event = await codecs.inferenceWithoutFeatures.decode(message.value);
        input = { kind: 'prediction', event };
      } else if (side === 'labels') {
        const event = await codecs.groundTruth.decode(message.value);
        const source = keepLabelSource ? { partition, offset: message.offset, value: message.value! } : null;
        input = { kind: 'label', event, source };
      } else throw new DecodeError('invalid_record', 'a repartitioned record without its side header');
      checkKey(message.key, input.event.prediction_id);
      inputs.push(input);
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      rejected.push({ topic, partition, message, reason: error.reason, error: error.message });
    }
  }
  return { inputs, rejected };
}

/** Longest part of a wrong key quoted in the dead letter's message. */
const KEY_PREVIEW_CHARS = 64;

/**
 * The contract keys inference and ground-truth records by their prediction_id (UTF-8), and the join places a
 * record by its key (the Java partitioner's partition of it, reroute.ts). A record with another key, or none,
 * lands where its counterpart never does: it could only expire unjoined, so it is dead-lettered at once, with
 * the reason `key_mismatch`, instead. The sink and the drift monitor, which do not place by key, still count
 * it. Pure.
 * @throws DecodeError('key_mismatch') (not retriable) when the key's bytes are not the prediction_id's UTF-8.
 */
export function checkKey(key: Buffer | null, predictionId: string): void {
  if (key !== null && sameUtf8(key, predictionId)) return;
  const shown =
    key === null
      ? 'no key'
      : `the key ${JSON.stringify(key.toString('utf8', 0, KEY_PREVIEW_CHARS))}${key.length > KEY_PREVIEW_CHARS ? '…' : ''} (${key.length} bytes)`;
  throw new DecodeError(
    'key_mismatch',
    `${shown} is not the prediction_id ${JSON.stringify(predictionId)}: the join places records by key, so it could not join`,
  );
}

/** Whether `bytes` are the UTF-8 of `text`; ASCII text is compared in place, without encoding it. Pure. */
function sameUtf8(bytes: Buffer, text: string): boolean {
  if (bytes.length !== text.length) return bytes.equals(Buffer.from(text, 'utf8'));
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return bytes.equals(Buffer.from(text, 'utf8'));
    if (bytes[i] !== c) return false;
  }
  return true;
}
