/**
 * The record-batch compression codecs Kafka clients use (gzip, snappy, lz4, zstd), in kafkajs' codec shape, so
 * every service reads what any producer writes and can write any of them (client.ts registers them). kafkajs
 * 2.2.4 ships gzip only and throws KafkaJSNotImplemented for the others, which stopped consumers for good.
 *
 * Formats, as the Java client and librdkafka write and read them:
 * - snappy: the Java client frames blocks the xerial way (magic, version, then length-prefixed raw blocks);
 *   librdkafka writes one raw block. Both are read; we write xerial frames, which both clients read.
 * - lz4: the LZ4 frame format with independent blocks (the Java reader refuses dependent ones).
 * - zstd: standard zstd frames; the content size may be absent (Java's streaming writer leaves it out).
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback, unzip as unzipCallback } from 'node:zlib';
import { compress as zstdCompress, init as initZstd } from '@bokuweb/zstd-wasm';
import { decompress as zstdDecompress } from 'fzstd';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';

/** kafkajs' codec interface: `compress` gets its encoder (the uncompressed records in `buffer`). */
export interface KafkaCodec {
  compress: (encoder: { buffer: Buffer }) => Promise<Buffer>;
  decompress: (buffer: Buffer) => Promise<Buffer>;
}

export type CodecName = 'gzip' | 'snappy' | 'lz4' | 'zstd';

/** The codec id in the low 3 bits of a record batch's attributes (Kafka's protocol). */
export const CODEC_IDS: Readonly<Record<CodecName, number>> = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

/** The codec name of a batch's attributes, `none`, or `unknown(<id>)` for ids Kafka does not define. */
export function codecOfAttributes(attributes: number): string {
  const id = attributes & 0x07;
  if (id === 0) return 'none';
  const name = (Object.keys(CODEC_IDS) as CodecName[]).find((n) => CODEC_IDS[n] === id);
  return name ?? `unknown(${id})`;
}

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]); // \x82SNAPPY\0
const XERIAL_HEADER_BYTES = 16; // magic, version (int32), minimum compatible version (int32)
/** The Java client's snappy block size (32 KiB of uncompressed records per block). */
const XERIAL_BLOCK_BYTES = 32 * 1024;

/** Snappy as Kafka carries it: xerial-framed blocks (Java) or one raw block (librdkafka). Pure. */
export function snappyDecode(buffer: Buffer): Buffer {
  if (buffer.length < XERIAL_HEADER_BYTES || !buffer.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return snappyUncompress(buffer, { asBuffer: true }) as Buffer;
  }
  const blocks: Buffer[] = [];
  for (let at = XERIAL_HEADER_BYTES; at < buffer.length;) {
    const length = buffer.readInt32BE(at);
    const end = at + 4 + length;
    if (length < 0 || end > buffer.length)
      throw new RangeError(`snappy: block of ${length} bytes at ${at} runs past the end`);
    blocks.push(snappyUncompress(buffer.subarray(at + 4, end), { asBuffer: true }) as Buffer);
    at = end;
  }
  return Buffer.concat(blocks);
}

/** Snappy in the Java client's xerial framing, 32 KiB blocks. Pure. */
export function snappyEncode(data: Buffer): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(1, 12);
  const parts: Buffer[] = [header];
  for (let at = 0; at < data.length; at += XERIAL_BLOCK_BYTES) {
    const block = snappyCompress(data.subarray(at, at + XERIAL_BLOCK_BYTES));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

const gzip = promisify(gzipCallback);
const unzip = promisify(unzipCallback);
/** The wasm module loads once, on first use. */
let zstdReady: Promise<void> | undefined;

/** One codec per name. Errors (corrupt input) are thrown as they come: the batch decoder deals with them. */
export const KAFKA_CODECS: Readonly<Record<CodecName, KafkaCodec>> = {
  gzip: {
    compress: async ({ buffer }) => gzip(buffer),
    decompress: async (buffer) => unzip(buffer),
  },
  snappy: {
    compress: async ({ buffer }) => snappyEncode(buffer),
    decompress: async (buffer) => snappyDecode(buffer),
  },
  lz4: {
    compress: async ({ buffer }) => compressFrame(buffer),
    decompress: async (buffer) => decompressFrame(buffer),
  },
  zstd: {
    compress: async ({ buffer }) => {
      await (zstdReady ??= initZstd());
      // Level 3: zstd's own default, as librdkafka and the Java client use.
      return Buffer.from(zstdCompress(buffer, 3));
    },
    decompress: async (buffer) => Buffer.from(zstdDecompress(buffer)),
  },
};
