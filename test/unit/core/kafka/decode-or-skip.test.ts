import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../../services/core/src/errors.ts';
import type { KafkaMessage } from '../../../../services/core/src/kafka/client.ts';
import { decodeOrSkip } from '../../../../services/core/src/kafka/decode-or-skip.ts';

const message = (offset: number, value: string) =>
  ({ offset: String(offset), value: Buffer.from(value) }) as KafkaMessage;

describe('decodeOrSkip', () => {
  it('shouldKeepTheOffsetOfAValueThatDoesNotDecodeWithoutItsEvent', async () => {
    const decode = async (v: Buffer | null) => {
      if (v?.toString() === 'bad') throw new DecodeError('json_parse_failed', 'not JSON');
      return v!.toString();
    };
    expect(await decodeOrSkip([message(7, 'a'), message(8, 'bad'), message(9, 'b')], decode)).toEqual([
      { offset: 7, event: 'a' },
      { offset: 8, event: null },
      { offset: 9, event: 'b' },
    ]);
  });

  it('shouldThrowWhenTheFailureIsNotTheValues', async () => {
    const decode = async () => {
      throw new Error('registry unreachable');
    };
    await expect(decodeOrSkip([message(1, 'a')], decode)).rejects.toThrow('registry unreachable');
  });
});
