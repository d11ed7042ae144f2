// kafkajs' values come through client.ts, which loads our kafkajs patches first.
import type { CompressionTypes, RecordMetadata } from 'kafkajs';
import type { Message, Producer } from './client.ts';
import { messageBytes } from './dead-letter.ts';
import { isFencedError } from './fenced-producer.ts';
import { crashPoint } from '../crash-point.ts';
import { describe, DriftlineError } from '../errors.ts';

export interface OutgoingRecords {
  topic: string;
  messages: Message[];
}

export interface TransactionOptions {
  /** Codec of every produce request (`CompressionTypes` from client.ts). @default none */
  compression?: CompressionTypes;
}

export interface ConsumedOffsets {
  consumerGroupId: string;
  /** The next offset to read, per consumed topic-partition. */
  topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
}

/**
 * A transaction that did not commit: its records stay invisible to read_committed readers. Retriable, unless
 * the producer was fenced (`fenced`): another instance owns the transactional id now, and only a new
 * assignment may hand this unit of state back.
 */
export class TransactionFailedError extends DriftlineError {
  readonly fenced: boolean;
  constructor(transactionalId: string, cause: unknown) {
    const fenced = isFencedError(cause);
    const what = fenced ? 'was fenced by a newer producer with the same id' : 'failed and was aborted';
    super(`transaction of ${transactionalId} ${what}: ${describe(cause)}`, { retriable: !fenced, cause });
    this.fenced = fenced;
  }
}

/**
 * Records per produce request: small enough that kafkajs' grouping of messages by partition (quadratic in the
 * messages of one partition: it copies the partition's array for every message) stays cheap.
 */
const CHUNK = 1000;
/** Bytes per produce request: a record batch must stay under the broker's 1 MiB limit (dead letters may be large). */
const CHUNK_BYTES = 512 * 1024;

/** Splits the records into produce requests of at most CHUNK messages and about CHUNK_BYTES, keeping each topic's order. */
function chunks(records: OutgoingRecords[]): OutgoingRecords[][] {
  const out: OutgoingRecords[][] = [];
  let current: OutgoingRecords[] = [];
  let count = 0;
  let bytes = 0;
  for (const { topic, messages } of records) {
    let open: OutgoingRecords | undefined;
    for (const m of messages) {
      const size = messageBytes(m);
      if (count > 0 && (count === CHUNK || bytes + size > CHUNK_BYTES)) {
        out.push(current);
        current = [];
        open = undefined;
        count = 0;
        bytes = 0;
      }
      if (!open) current.push((open = { topic, messages: [] }));
      open.messages.push(m);
      count++;
      bytes += size;
    }
  }
  if (count > 0) out.push(current);
  return out;
}

/** Key of `lastOffsets`: `topic:partition`. */
export const topicPartitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/**
 * Sends records and consumed offsets in one Kafka transaction: all become visible together or none does.
 * @returns the offset of the last record written to each explicitly chosen partition (`topicPartitionKey`);
 *   the transaction's commit marker is the next offset there.
 * @throws TransactionFailedError after aborting (retriable unless fenced); the caller must forget the batch's
 *   local effects.
 */
export async function commitTransaction(
  producer: Producer,
  transactionalId: string,
  records: OutgoingRecords[],
  offsets?: ConsumedOffsets,
  options: TransactionOptions = {},
): Promise<Map<string, bigint>> {
  const tx = await producer.transaction();
  const lastOffsets = new Map<string, bigint>();
  try {
    for (const topicMessages of chunks(records)) {
      const metadata = await tx.sendBatch({ acks: -1, topicMessages, compression: options.compression });
      trackLastOffsets(topicMessages, metadata, lastOffsets);
    }
    if (offsets) await tx.sendOffsets(offsets);
    crashPoint('after-produce-before-commit');
    await tx.commit();
    return lastOffsets;
  } catch (error) {
    await tx.abort().catch(() => undefined);
    throw new TransactionFailedError(transactionalId, error);
  }
}

/** Last offset per explicitly partitioned topic-partition of one produce request: base offset + count - 1. */
function trackLastOffsets(
  sent: OutgoingRecords[],
  metadata: RecordMetadata[],
  out: Map<string, bigint>,
): void {
  // Counted per topic and partition number, keyed only once per pair: a batch may hold thousands of records.
  const counts = new Map<string, number>();
  for (const { topic, messages } of sent) {
    const perPartition = new Map<number, number>();
    for (const m of messages) {
      if (m.partition !== undefined) perPartition.set(m.partition, (perPartition.get(m.partition) ?? 0) + 1);
    }
    for (const [partition, n] of perPartition) {
      const key = topicPartitionKey(topic, partition);
      counts.set(key, (counts.get(key) ?? 0) + n);
    }
  }
  for (const r of metadata) {
    const key = topicPartitionKey(r.topicName, r.partition);
    const n = counts.get(key);
    if (n !== undefined && r.baseOffset !== undefined) out.set(key, BigInt(r.baseOffset) + BigInt(n) - 1n);
  }
}
