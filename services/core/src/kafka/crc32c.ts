import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type Crc32c = (bytes: Buffer) => number;

/**
 * CRC-32C, the checksum of every record batch a service produces. kafkajs computes it in JavaScript, a table
 * lookup per byte: 2.3-2.7 ns per byte on our machine, 2.3% of the label joiner's CPU in the pipeline benchmark.
 * @node-rs/crc32 uses the processor's CRC32 instructions (0.07-0.2 ns per byte, the larger figure for 1 KB:
 * `npx tsx bench/crc32c.ts`).
 * Where its native binding does not load (a platform it ships no build for), kafkajs' own code is used: the same
 * value, slower.
 */
function load(): { crc32c: Crc32c; native: boolean } {
  try {
    const { crc32c } = require('@node-rs/crc32') as { crc32c: (input: Buffer, initial?: number) => number };
    return { crc32c: (bytes) => crc32c(bytes), native: true };
  } catch {
    return { crc32c: require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as Crc32c, native: false };
  }
}

const loaded = load();

/** The CRC-32C of `bytes`, unsigned. */
export const crc32c: Crc32c = loaded.crc32c;

/** Whether the native implementation is in use (else kafkajs' JavaScript one). */
export const nativeCrc32c: boolean = loaded.native;
