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
 * Decodes one side's batch. Only DecodeError rejects a message (to the dead-letter topic, in the batch's
 * transaction); anything else, such as a registry outage, is thrown so the batch is retried whole.
 */
export async function decodeInputs(
  side: Side,
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
      if (side === 'predictions') {
        inputs.push({
          kind: 'prediction',
          event: await codecs.inferenceWithoutFeatures.decode(message.value),
        });
      } else {
        const event = await codecs.groundTruth.decode(message.value);
        const source = keepLabelSource ? { partition, offset: message.offset, value: message.value! } : null;
        inputs.push({ kind: 'label', event, source });
      }
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      rejected.push({ topic, partition, message, reason: error.reason, error: error.message });
    }
  }
  return { inputs, rejected };
}
