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
  /** Set instead of the value when the original is over MAX_DEAD_LETTER_VALUE_BYTES: its size in bytes. */
  valueOmitted: 'driftline.value.omitted.bytes',
} as const;

/**
 * Largest original value a dead letter carries. A value near the broker's message limit plus our headers would
 * exceed it, and the refused dead letter would stop the consumer on the same batch at every restart; above this
 * size the dead letter names the source topic, partition and offset, where the bytes stay.
 */
export const MAX_DEAD_LETTER_VALUE_BYTES = 512 * 1024;

/** Bytes per produce request of dead letters: a record batch of several large values must stay under 1 MiB. */
const MAX_REQUEST_BYTES = 512 * 1024;

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
  if (!batch) return withBoundedValue({ key: r.message.key, value: r.message.value, headers });
  const bytes = headers[UNDECODABLE_BATCH_BYTES_HEADER];
  delete headers[UNDECODABLE_BATCH_BYTES_HEADER];
  return { key: null, value: Buffer.isBuffer(bytes) ? bytes : null, headers };
}

function withBoundedValue(m: Message): Message {
  const size = m.value?.length ?? 0;
  if (size <= MAX_DEAD_LETTER_VALUE_BYTES) return m;
  return { ...m, value: null, headers: { ...m.headers, [DEAD_LETTER_HEADERS.valueOmitted]: String(size) } };
}

/** Approximate bytes of a message on the wire: key, value and headers. */
export function messageBytes(m: Message): number {
  let n = (m.key?.length ?? 0) + (m.value?.length ?? 0);
  for (const [k, v] of Object.entries(m.headers ?? {})) n += k.length + (v?.length ?? 0);
  return n;
}

/**
 * Sends rejected messages to the dead-letter topic, in requests under MAX_REQUEST_BYTES, and waits for the
 * broker's acknowledgement.
 */
export async function publishDeadLetters(
  producer: Producer,
  topic: string,
  rejected: Rejected[],
): Promise<void> {
  if (rejected.length === 0) return;
  const now = Date.now();
  let messages: Message[] = [];
  let bytes = 0;
  for (const m of rejected.map((r) => toDeadLetter(r, now))) {
    const size = messageBytes(m);
    if (messages.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      await producer.send({ topic, acks: -1, messages });
      messages = [];
      bytes = 0;
    }
    messages.push(m);
    bytes += size;
  }
  await producer.send({ topic, acks: -1, messages });
}
