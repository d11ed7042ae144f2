import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crc32c, nativeCrc32c } from '../../../../services/core/src/kafka/crc32c.ts';

const require = createRequire(import.meta.url);
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;

describe('crc32c', () => {
  it('shouldUseTheNativeImplementationWhenItsBindingLoadsOnThisPlatform', () => {
    expect(nativeCrc32c).toBe(true);
  });

  it('shouldGiveTheCheckValueOfCrc32cWhenGivenTheDigitsOneToNine', () => {
    // The CRC-32C (Castagnoli) check value of RFC 3720, appendix B.4.
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('shouldEqualKafkajsChecksumWhenGivenRandomBytesOfAnyLength', () => {
    for (const length of [0, 1, 7, 8, 63, 64, 65, 1000, 4096, 100_003]) {
      const bytes = randomBytes(length);
      expect(crc32c(bytes)).toBe(kafkajsCrc32c(bytes));
      // A view into a larger buffer (the encoder passes a subarray of its request).
      const framed = Buffer.concat([randomBytes(5), bytes, randomBytes(3)]).subarray(5, 5 + length);
      expect(crc32c(framed)).toBe(kafkajsCrc32c(bytes));
    }
  });
});
