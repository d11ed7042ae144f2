import { describe, expect, it } from 'vitest';
import {
  DEAD_LETTER_HEADERS,
  MAX_DEAD_LETTER_VALUE_BYTES,
  messageBytes,
  toDeadLetter,
} from '../../../../services/core/src/kafka/dead-letter.ts';

const rejected = (value: Buffer) => ({
  topic: 'ml.inference.v1',
  partition: 2,
  message: { key: Buffer.from('k'), value, offset: '41', headers: {} } as never,
  reason: 'invalid_record',
  error: 'features too large',
});

describe('dead letters of large values', () => {
  it('shouldKeepTheOriginalBytesWhenTheValueIsWithinTheBound', () => {
    const value = Buffer.alloc(MAX_DEAD_LETTER_VALUE_BYTES, 1);
    const m = toDeadLetter(rejected(value), 0);
    expect(m.value).toBe(value);
    expect(m.headers![DEAD_LETTER_HEADERS.valueOmitted]).toBeUndefined();
  });

  it('shouldOmitTheValueAndNameItsSizeWhenItWouldCrowdTheBrokerLimit', () => {
    const m = toDeadLetter(rejected(Buffer.alloc(1_000_000)), 0);
    expect(m.value).toBeNull();
    expect(m.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.valueOmitted]: '1000000',
      [DEAD_LETTER_HEADERS.sourceOffset]: '41',
      [DEAD_LETTER_HEADERS.reason]: 'invalid_record',
    });
    expect(messageBytes(m)).toBeLessThan(1_000);
  });
});
