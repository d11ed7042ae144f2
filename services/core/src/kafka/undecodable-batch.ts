/**
 * A record batch that cannot be decompressed or decoded (a corrupt batch, a codec id Kafka does not define)
 * must not stop a consumer for good: kafkajs would fail the fetch again and again at the same offset. The
 * batch decoder (kafkajs-patches.ts) hands on one stand-in record instead, at the batch's last offset, so the
 * consumer moves past the whole batch. Its key and value are null, so every service rejects it as a value it
 * cannot decode without asking anyone (a registry, a parser); the header UNDECODABLE_BATCH_HEADER says what
 * happened, and UNDECODABLE_BATCH_BYTES_HEADER carries the batch's raw bytes (when small enough for the
 * dead-letter topic), which become the dead letter's value with the reason `undecodable_batch` (dead-letter.ts).
 */
import { describe } from '../errors.ts';
import { codecOfAttributes } from './compression-codecs.ts';
import type { RecordBatchContext } from './kafkajs-fetch-decoder.ts';

/** Header of the stand-in record: JSON of UndecodableBatch. */
export const UNDECODABLE_BATCH_HEADER = 'driftline.undecodable.batch';
/** Header of the stand-in record: the batch's raw bytes, as stored in the partition. */
export const UNDECODABLE_BATCH_BYTES_HEADER = 'driftline.undecodable.batch.bytes';

/**
 * Batches larger than this are dead-lettered without their bytes: the dead-letter topic has the broker's
 * default message size limit (1 MiB), which a whole batch plus headers can exceed.
 */
export const MAX_KEPT_BATCH_BYTES = 512 * 1024;

/** What the stand-in record says about the batch it replaces. */
export interface UndecodableBatch {
  codec: string;
  firstOffset: string;
  lastOffset: string;
  /** Records the batch header announces. */
  records: number;
  /** Bytes of the whole batch (header included); kept in a header unless above MAX_KEPT_BATCH_BYTES. */
  bytes: number;
  error: string;
}

/** The fields of kafkajs' record and batch context the consumer reads. */
export interface StandInBatch extends RecordBatchContext {
  records: Record<string, unknown>[];
}

// Byte positions in a record batch (magic 2), from its first byte.
const AT = {
  length: 8,
  leaderEpoch: 12,
  magic: 16,
  attributes: 21,
  lastOffsetDelta: 23,
  firstTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  firstSequence: 53,
  records: 57,
} as const;
const TRANSACTIONAL = 0x10;
const LOG_APPEND_TIME = 0x08;

/**
 * The stand-in for the batch starting at `start` of `buffer`, which failed with `error`. Pure.
 * @returns undefined when the buffer does not hold the whole batch header (nothing to stand in for).
 */
export function standInBatch(buffer: Buffer, start: number, error: unknown): StandInBatch | undefined {
  if (buffer.length < start + AT.records + 4) return undefined;
  const bytes = AT.leaderEpoch + buffer.readInt32BE(start + AT.length);
  const attributes = buffer.readInt16BE(start + AT.attributes);
  const first = buffer.readBigInt64BE(start);
  const lastOffsetDelta = buffer.readInt32BE(start + AT.lastOffsetDelta);
  const lastOffset = (first + BigInt(lastOffsetDelta)).toString();
  const maxTimestamp = buffer.readBigInt64BE(start + AT.maxTimestamp).toString();
  const info: UndecodableBatch = {
    codec: codecOfAttributes(attributes),
    firstOffset: first.toString(),
    lastOffset,
    records: buffer.readInt32BE(start + AT.records),
    bytes,
    error: describe(error).slice(0, 500),
  };
  const whole = start + bytes <= buffer.length && bytes <= MAX_KEPT_BATCH_BYTES;
  const context = {
    firstOffset: info.firstOffset,
    firstTimestamp: buffer.readBigInt64BE(start + AT.firstTimestamp).toString(),
    partitionLeaderEpoch: buffer.readInt32BE(start + AT.leaderEpoch),
    inTransaction: (attributes & TRANSACTIONAL) > 0,
    // Control batches are never compressed; a corrupt one is handed on as data, which readers skip.
    isControlBatch: false,
    lastOffsetDelta,
    producerId: buffer.readBigInt64BE(start + AT.producerId).toString(),
    producerEpoch: buffer.readInt16BE(start + AT.producerEpoch),
    firstSequence: buffer.readInt32BE(start + AT.firstSequence),
    maxTimestamp,
    timestampType: (attributes & LOG_APPEND_TIME) > 0 ? 1 : 0,
  };
  const record = {
    magicByte: buffer.readInt8(start + AT.magic),
    attributes: 0,
    timestamp: maxTimestamp,
    offset: lastOffset,
    key: null,
    value: null,
    headers: {
      [UNDECODABLE_BATCH_HEADER]: Buffer.from(JSON.stringify(info)),
      ...(whole
        ? { [UNDECODABLE_BATCH_BYTES_HEADER]: Buffer.from(buffer.subarray(start, start + bytes)) }
        : {}),
    },
    isControlRecord: false,
    batchContext: context,
  };
  return { ...context, records: [record] };
}

/** Does the batch at `start` name no compression or one of Kafka's codecs (ids 0-4)? Pure. */
export function knownCodec(buffer: Buffer, start: number): boolean {
  return (buffer.readInt16BE(start + AT.attributes) & 0x07) <= 4;
}

/** The stand-in's description, or undefined for an ordinary message. */
export function undecodableBatchOf(
  headers: Record<string, unknown> | undefined,
): UndecodableBatch | undefined {
  const raw = headers?.[UNDECODABLE_BATCH_HEADER];
  if (raw === undefined) return undefined;
  return JSON.parse(String(raw)) as UndecodableBatch;
}

/** One line naming the batch: for logs and dead-letter messages. */
export function describeUndecodableBatch(b: UndecodableBatch): string {
  return `undecodable ${b.codec} record batch, offsets ${b.firstOffset}-${b.lastOffset} (${b.records} records, ${b.bytes} bytes): ${b.error}`;
}
