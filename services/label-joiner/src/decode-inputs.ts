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
 * as a registry outage, is thrown so the batch is retried whole.
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
    const side = sideOf(message);
    try {
      if (side === 'predictions') {
        inputs.push({
          kind: 'prediction',
          event: await codecs.inferenceWithoutFeatures.decode(message.value),
        });
      } else if (side === 'labels') {
        const event = await codecs.groundTruth.decode(message.value);
        const source = keepLabelSource ? { partition, offset: message.offset, value: message.value! } : null;
        inputs.push({ kind: 'label', event, source });
      } else {
        throw new DecodeError('invalid_record', 'a repartitioned record without its side header');
      }
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      rejected.push({ topic, partition, message, reason: error.reason, error: error.message });
    }
  }
  return { inputs, rejected };
}
