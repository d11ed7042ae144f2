import { describe, expect, it } from 'vitest';
import { readSchemaId, sniffEncoding, withHeader } from '../../../../services/core/src/serde/wire-format.ts';

describe('wire format', () => {
  it.each([
    [withHeader(7, Buffer.from([2])), 'avro'],
    [Buffer.from('{"a":1}'), 'json'],
    [Buffer.from('\n  {"a":1}'), 'json'],
    [Buffer.from([0, 0, 1]), 'unknown'],
    [Buffer.from('[1]'), 'unknown'],
    [Buffer.alloc(0), 'unknown'],
  ])('shouldSniff %#', (value, expected) => {
    expect(sniffEncoding(value)).toBe(expected);
  });

  it('shouldWriteABigEndianSchemaId', () => {
    const v = withHeader(0x01020304, Buffer.from([9]));
    expect([...v]).toEqual([0, 1, 2, 3, 4, 9]);
    expect(readSchemaId(v)).toBe(0x01020304);
  });
});
