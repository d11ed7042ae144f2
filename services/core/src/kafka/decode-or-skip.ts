import { DecodeError } from '../errors.ts';
import type { KafkaMessage } from './client.ts';

/** A consumed message decoded, or null when its value could not be. */
export interface DecodedAt<T> {
  offset: number;
  event: T | null;
}

/**
 * Decodes a batch for a consumer that is not the one dead-lettering the topic (the sink does that): a value
 * that does not decode (DecodeError) becomes `event: null` at its offset and is counted by the caller; any
 * other error, a registry outage, is thrown so the batch is retried whole.
 */
export async function decodeOrSkip<T>(
  messages: readonly KafkaMessage[],
  decode: (value: Buffer | null) => Promise<T>,
): Promise<DecodedAt<T>[]> {
  const out: DecodedAt<T>[] = [];
  for (const m of messages) {
    try {
      out.push({ offset: Number(m.offset), event: await decode(m.value) });
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      out.push({ offset: Number(m.offset), event: null });
    }
  }
  return out;
}
