// Benchmark (not a test) of the CRC-32C of produced record batches: npm run bench -- crc32c
// (or npx tsx bench/crc32c.ts)
// core/src/kafka/crc32c.ts (@node-rs/crc32, the processor's CRC instructions) against kafkajs' JavaScript
// table loop, which every produced batch went through before, on random batches of 1 KB, 100 KB and 1 MB.
// Rounds alternate the two; each one's least time is its cost.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { crc32c, nativeCrc32c } from '../services/core/src/kafka/crc32c.ts';

const require = createRequire(import.meta.url);
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;
const ROUNDS = 5;

/** ns per byte of `f` over `bytes`, repeated to about 20 MB. */
function time(f: (b: Buffer) => number, bytes: Buffer): number {
  const times = Math.max(10, Math.floor(20e6 / bytes.length));
  let check = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < times; i++) check ^= f(bytes);
  const ns = Number(process.hrtime.bigint() - start);
  if (check === 0.5) console.log(check); // keeps the loop's result live
  return ns / (times * bytes.length);
}

console.log(`native implementation loaded: ${nativeCrc32c}`);
console.log('batch bytes      kafkajs ns/byte   ours ns/byte   kafkajs / ours');
for (const size of [1_000, 100_000, 1_000_000]) {
  const bytes = randomBytes(size);
  if (crc32c(bytes) !== kafkajsCrc32c(bytes)) throw new Error('checksums differ');
  let theirs = Infinity;
  let ours = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    theirs = Math.min(theirs, time(kafkajsCrc32c, bytes));
    ours = Math.min(ours, time(crc32c, bytes));
  }
  console.log(
    `${String(size).padStart(11)}${theirs.toFixed(3).padStart(18)}${ours.toFixed(3).padStart(15)}${(theirs / ours).toFixed(1).padStart(15)}x`,
  );
}
