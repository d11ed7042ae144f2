import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
// Loads our kafkajs patches and registers the codecs, as every service does.
import { CompressionTypes } from '../../../../services/core/src/kafka/client.ts';
import { DEAD_LETTER_HEADERS, toDeadLetter } from '../../../../services/core/src/kafka/dead-letter.ts';
import {
  MAX_KEPT_BATCH_BYTES,
  UNDECODABLE_BATCH_BYTES_HEADER,
  undecodableBatchOf,
} from '../../../../services/core/src/kafka/undecodable-batch.ts';

const require = createRequire(import.meta.url);
type Encoder = { buffer: Buffer };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (a: object) => Promise<Encoder>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (a: object) => Encoder;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => unknown;
const decodeMessages = require('kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js') as (
  d: unknown,
) => Promise<DecodedRecord[]>;

interface DecodedRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer>;
}

/** A record batch as the broker stores it: `count` records from `firstOffset`. */
async function batch(compression: number, firstOffset: number, count: number): Promise<Buffer> {
  const records = Array.from({ length: count }, (_, i) =>
    Record({ offsetDelta: i, key: Buffer.from(`k${i}`), value: Buffer.from(`value ${i} `.repeat(20)) }),
  );
  const encoder = await RecordBatch({
    compression,
    firstOffset: BigInt(firstOffset).toString(),
    lastOffsetDelta: count - 1,
    records,
  });
  return encoder.buffer;
}

/** The records kafkajs hands a consumer for a partition whose fetched bytes are these batches. */
async function fetched(...batches: Buffer[]): Promise<DecodedRecord[]> {
  const body = Buffer.concat(batches);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return decodeMessages(new Decoder(Buffer.concat([size, body])));
}

/** Overwrites the compressed records (after the 61-byte batch header) with garbage. */
function corrupt(b: Buffer): Buffer {
  const out = Buffer.from(b);
  out.fill(0xee, 61 + 4);
  return out;
}

const CODECS = [CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD];

describe('record batches in kafkajs with our codecs', () => {
  it.each(CODECS)('shouldDecodeEveryRecordWhenTheBatchIsCompressedWithCodec%s', async (codec) => {
    const records = await fetched(await batch(codec, 100, 30));
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 30 }, (_, i) => String(100 + i)));
    expect(records[29]!.value!.toString()).toBe('value 29 '.repeat(20));
  });

  it.each(CODECS)('shouldHandOnOneStandInAtTheLastOffsetWhenCodec%sCannotDecompress', async (codec) => {
    const bad = corrupt(await batch(codec, 40, 10));
    const records = await fetched(await batch(codec, 20, 20), bad, await batch(codec, 50, 5));
    // The batches around it decode as usual; the bad one is one record at its last offset.
    expect(records.map((r) => r.offset)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => String(20 + i)),
      '49',
      ...['50', '51', '52', '53', '54'],
    ]);
    const standIn = records[20]!;
    expect(standIn.key).toBeNull();
    expect(standIn.value).toBeNull();
    expect(standIn.headers[UNDECODABLE_BATCH_BYTES_HEADER]!.equals(bad)).toBe(true);
    const info = undecodableBatchOf(standIn.headers);
    expect(info).toMatchObject({
      codec: ['gzip', 'snappy', 'lz4', 'zstd'][codec - 1],
      firstOffset: '40',
      lastOffset: '49',
      records: 10,
      bytes: bad.length,
    });
    expect(info!.error.length).toBeGreaterThan(0);
  });

  it('shouldStandInWhenTheBatchNamesACodecKafkaDoesNotDefine', async () => {
    const b = await batch(CompressionTypes.None, 7, 3);
    b.writeInt16BE(6, 21); // attributes: codec id 6
    const [standIn, ...rest] = await fetched(b);
    expect(rest).toEqual([]);
    expect(standIn!.offset).toBe('9');
    expect(undecodableBatchOf(standIn!.headers)?.codec).toBe('unknown(6)');
  });

  it('shouldLeaveTheBytesOutWhenTheBatchIsTooLargeForTheDeadLetterTopic', async () => {
    const big = await batch(CompressionTypes.None, 0, Math.ceil(MAX_KEPT_BATCH_BYTES / 150));
    big.writeInt16BE(7, 21); // attributes: codec id 7
    expect(big.length).toBeGreaterThan(MAX_KEPT_BATCH_BYTES);
    const [standIn] = await fetched(big);
    expect(standIn!.headers[UNDECODABLE_BATCH_BYTES_HEADER]).toBeUndefined();
    expect(undecodableBatchOf(standIn!.headers)?.bytes).toBe(big.length);
  });

  it('shouldStillStopAtAPartialBatchAtTheEndOfAFetch', async () => {
    const whole = await batch(CompressionTypes.LZ4, 0, 10);
    const partial = (await batch(CompressionTypes.LZ4, 10, 10)).subarray(0, 80);
    const records = await fetched(whole, partial);
    expect(records.map((r) => r.offset)).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
  });
});

describe('dead letter of a stand-in', () => {
  it('shouldNameReasonUndecodableBatchAndTheFirstOffsetWhateverTheDecoderSaid', async () => {
    const bad = corrupt(await batch(CompressionTypes.ZSTD, 300, 4));
    const [standIn] = await fetched(bad);
    const message = { ...standIn!, timestamp: '0', attributes: 0 } as never;
    const dead = toDeadLetter(
      { topic: 't', partition: 2, message, reason: 'unknown_encoding', error: 'first byte 0x00' },
      1,
    );
    expect(dead.value).toEqual(bad);
    const headers = dead.headers as Record<string, string>;
    expect(headers[UNDECODABLE_BATCH_BYTES_HEADER]).toBeUndefined();
    expect(headers[DEAD_LETTER_HEADERS.reason]).toBe('undecodable_batch');
    expect(headers[DEAD_LETTER_HEADERS.sourceOffset]).toBe('300');
    expect(headers[DEAD_LETTER_HEADERS.error]).toMatch(
      /^undecodable zstd record batch, offsets 300-303 \(4 records, \d+ bytes\): /,
    );
  });
});
