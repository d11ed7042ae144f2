import type { IHeaders, KafkaMessage, Message, Producer } from './client.ts';
import {
  describeUndecodableBatch,
  UNDECODABLE_BATCH_BYTES_HEADER,
  undecodableBatchOf,
} from './undecodable-batch.ts';

/** Dead-letter header names: part of the public contract (CONTRACT.md). */
export const DEAD_LETTER_HEADERS = {
  sourceTopic: 'driftline.source.topic',
  sourcePartition: 'driftline.source.partition',
  sourceOffset: 'driftline.source.offset',
  reason: 'driftline.error.reason',
  error: 'driftline.error.message',
  failedAt: 'driftline.failed.at',
} as const;

export interface Rejected {
  topic: string;
  partition: number;
  message: KafkaMessage;
  /** A reason code, e.g. `invalid_record`. */
  reason: string;
  /** The human-readable detail. */
  error: string;
}

/**
 * The dead-letter message for a rejected one: original key and bytes, original headers, plus ours. The
 * stand-in of an undecodable record batch keeps its own reason, `undecodable_batch`, whatever the decoder
 * said about it; its value is the batch's raw bytes (null when too large) and its `driftline.undecodable.batch`
 * header names the batch's offsets and codec. Pure.
 */
export function toDeadLetter(r: Rejected, now: number): Message {
  const headers: IHeaders = { ...(r.message.headers ?? {}) };
  const batch = undecodableBatchOf(r.message.headers);
  headers[DEAD_LETTER_HEADERS.sourceTopic] = r.topic;
  headers[DEAD_LETTER_HEADERS.sourcePartition] = String(r.partition);
  headers[DEAD_LETTER_HEADERS.sourceOffset] = batch ? batch.firstOffset : r.message.offset;
  headers[DEAD_LETTER_HEADERS.reason] = batch ? 'undecodable_batch' : r.reason;
  headers[DEAD_LETTER_HEADERS.error] = (batch ? describeUndecodableBatch(batch) : r.error).slice(0, 1000);
  headers[DEAD_LETTER_HEADERS.failedAt] = String(now);
  if (!batch) return { key: r.message.key, value: r.message.value, headers };
  const bytes = headers[UNDECODABLE_BATCH_BYTES_HEADER];
  delete headers[UNDECODABLE_BATCH_BYTES_HEADER];
  return { key: null, value: Buffer.isBuffer(bytes) ? bytes : null, headers };
}

/** Sends rejected messages to the dead-letter topic and waits for the broker's acknowledgement. */
export async function publishDeadLetters(
  producer: Producer,
  topic: string,
  rejected: Rejected[],
): Promise<void> {
  if (rejected.length === 0) return;
  const now = Date.now();
  await producer.send({ topic, acks: -1, messages: rejected.map((r) => toDeadLetter(r, now)) });
}
