import { randomBytes } from 'node:crypto';
import { compressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import {
  codecOfAttributes,
  KAFKA_CODECS,
  snappyDecode,
  snappyEncode,
  type CodecName,
} from '../../../../services/core/src/kafka/compression-codecs.ts';

const CODECS = Object.keys(KAFKA_CODECS) as CodecName[];

/** Records-like bytes: repetitive (compressible) with random stretches, `size` bytes. */
function sample(size: number, seed = 7): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = i % 97 < 60 ? 'prediction_id'.charCodeAt(i % 13) : x >>> 24;
  }
  return out;
}

describe('KAFKA_CODECS', () => {
  it.each(CODECS)('shouldRoundTripEmptySmallAndMultiBlockInputsWhenCodecIs%s', async (name) => {
    const codec = KAFKA_CODECS[name];
    for (const data of [Buffer.alloc(0), sample(100), sample(200_000), randomBytes(70_000)]) {
      const compressed = await codec.compress({ buffer: data });
      expect((await codec.decompress(compressed)).equals(data)).toBe(true);
    }
  });

  it.each(CODECS)('shouldShrinkRepetitiveRecordsWhenCodecIs%s', async (name) => {
    const data = Buffer.from('{"prediction_id":"p-1","model_id":"churn"}'.repeat(500));
    expect((await KAFKA_CODECS[name].compress({ buffer: data })).length).toBeLessThan(data.length / 10);
  });

  it.each(CODECS)('shouldThrowOnCorruptInputWhenCodecIs%s', async (name) => {
    const codec = KAFKA_CODECS[name];
    const good = await codec.compress({ buffer: sample(5000) });
    const bad = Buffer.from(good);
    bad.fill(0xff, Math.floor(bad.length / 3), bad.length);
    await expect(codec.decompress(bad)).rejects.toThrow();
  });

  it('shouldWriteTheFormatsTheJavaClientAndLibrdkafkaReadWhenCompressing', async () => {
    const data = sample(1000);
    const lz4 = await KAFKA_CODECS.lz4.compress({ buffer: data });
    expect(lz4.readUInt32LE(0)).toBe(0x184d2204); // LZ4 frame magic
    expect(lz4[4]! & 0x20).toBe(0x20); // independent blocks: the Java reader refuses dependent ones
    const zstd = await KAFKA_CODECS.zstd.compress({ buffer: data });
    expect(zstd.readUInt32LE(0)).toBe(0xfd2fb528); // zstd frame magic
    const gzip = await KAFKA_CODECS.gzip.compress({ buffer: data });
    expect([gzip[0], gzip[1]]).toEqual([0x1f, 0x8b]);
  });
});

describe('snappy as Kafka carries it', () => {
  it('shouldReadOneRawBlockWhenWrittenByLibrdkafka', () => {
    const data = sample(10_000);
    expect(snappyDecode(compressSync(data)).equals(data)).toBe(true);
  });

  it('shouldWriteXerialFramingWith32KiBBlocksWhenEncoding', () => {
    const data = sample(70_000);
    const framed = snappyEncode(data);
    expect(framed.subarray(0, 16)).toEqual(
      Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]),
    );
    let blocks = 0;
    for (let at = 16; at < framed.length; at += 4 + framed.readInt32BE(at)) blocks++;
    expect(blocks).toBe(3); // 32 KiB + 32 KiB + the rest
    expect(snappyDecode(framed).equals(data)).toBe(true);
  });

  it('shouldReadXerialFramesWrittenBlockByBlockWhenProducedByTheJavaClient', () => {
    const parts = [sample(300, 1), sample(5, 2), sample(4000, 3)];
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]);
    const blocks = parts.flatMap((p) => {
      const block = compressSync(p);
      const length = Buffer.alloc(4);
      length.writeInt32BE(block.length);
      return [length, block];
    });
    expect(snappyDecode(Buffer.concat([header, ...blocks])).equals(Buffer.concat(parts))).toBe(true);
  });

  it('shouldThrowWhenAXerialBlockRunsPastTheEnd', () => {
    const framed = snappyEncode(sample(1000));
    expect(() => snappyDecode(framed.subarray(0, framed.length - 3))).toThrow(/runs past the end/);
  });
});

describe('codecOfAttributes', () => {
  it('shouldNameTheCodecInTheLowThreeBitsWhenOtherFlagsAreSet', () => {
    expect([0, 1, 2, 3, 4].map((id) => codecOfAttributes(id | 0x10 | 0x08))).toEqual([
      'none',
      'gzip',
      'snappy',
      'lz4',
      'zstd',
    ]);
    expect(codecOfAttributes(6)).toBe('unknown(6)');
  });
});
