import { DecodeError } from '../../core/src/errors.ts';
import type { KafkaMessage } from '../../core/src/kafka/client.ts';
import type { Rejected } from '../../core/src/kafka/dead-letter.ts';
import { describeUndecodableBatch, undecodableBatchOf } from '../../core/src/kafka/undecodable-batch.ts';

export interface Decoded {
  /** Records handed to `take`. */
  taken: number;
  rejected: Rejected[];
}

/**
 * Decodes a partition batch, handing each record to `take` in order (which encodes its row at once, so no row
 * outlives its record) and setting aside what cannot be decoded with its reason (the stand-in of a record batch
 * the consumer could not decompress, too). Only DecodeError rejects a message; anything else (a registry outage)
 * is thrown so the batch is retried whole.
 */
export async function decodeBatch<T>(
  topic: string,
  partition: number,
  messages: KafkaMessage[],
  decode: (value: Buffer | null) => Promise<T>,
  take: (record: T, message: KafkaMessage) => void,
): Promise<Decoded> {
  let taken = 0;
  const rejected: Rejected[] = [];
  for (const message of messages) {
    const batch = undecodableBatchOf(message.headers);
    if (batch) {
      const error = describeUndecodableBatch(batch);
      rejected.push({ topic, partition, message, reason: 'undecodable_batch', error });
      continue;
    }
    try {
      take(await decode(message.value), message);
      taken++;
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      rejected.push({ topic, partition, message, reason: error.reason, error: error.message });
    }
  }
  return { taken, rejected };
}
