import { describe, expect, it } from 'vitest';
import { RowEncodeError, rowBinaryEncoder } from '../../../../services/core/src/clickhouse/row-binary.ts';
import type { Columns } from '../../../../services/core/src/tables/columns.ts';

/** The bytes of one row of one column. */
const bytesOf = (type: Columns[string], value: unknown) =>
  [...rowBinaryEncoder({ c: type })([{ c: value }])].map((b) => b.toString(16).padStart(2, '0')).join(' ');

const le64 = (value: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt.asIntN(64, value));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
};

describe('rowBinaryEncoder', () => {
  it('shouldWriteStringsAsUtf8BytesAfterTheirLengthWhenShortOrLongOrNotAscii', () => {
    expect(bytesOf('String', '')).toBe('00');
    expect(bytesOf('String', 'ab')).toBe('02 61 62');
    // é is two bytes, € three, 😀 four (a surrogate pair): lengths count bytes, not UTF-16 units
    expect(bytesOf('String', 'aé€😀')).toBe('0a 61 c3 a9 e2 82 ac f0 9f 98 80');
    const long = 'x'.repeat(200);
    const encoded = rowBinaryEncoder({ c: 'String' })([{ c: long }]);
    expect([...encoded.subarray(0, 2)]).toEqual([0xc8, 0x01]); // 200 as LEB128
    expect(encoded.subarray(2).toString('utf8')).toBe(long);
    const wide = 'é'.repeat(100); // 100 units, 200 bytes: past the one-byte length of short strings
    const wideEncoded = rowBinaryEncoder({ c: 'String' })([{ c: wide }]);
    expect([...wideEncoded.subarray(0, 2)]).toEqual([0xc8, 0x01]);
    expect(wideEncoded.subarray(2).toString('utf8')).toBe(wide);
    // 42 units of which one is not ASCII: the short path, with Buffer's write past the ASCII prefix
    const mixed = `${'a'.repeat(40)}ü€`;
    const mixedEncoded = rowBinaryEncoder({ c: 'String' })([{ c: mixed }]);
    expect(mixedEncoded[0]).toBe(45);
    expect(mixedEncoded.subarray(1).toString('utf8')).toBe(mixed);
  });

  it('shouldWriteTabsNewlinesQuotesAndBackslashesAsTheyAreWhenInAString', () => {
    expect(bytesOf('String', '\t\n\\"\'')).toBe('05 09 0a 5c 22 27');
  });

  it('shouldWriteFloatsAsLittleEndianDoublesWhenFiniteOrNot', () => {
    const double = (x: number) => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(x);
      return [...b].map((v) => v.toString(16).padStart(2, '0')).join(' ');
    };
    for (const x of [0, -0, 1.5, -2.25e-300, Number.MAX_VALUE, Infinity, -Infinity, NaN])
      expect(bytesOf('Float64', x)).toBe(double(x));
  });

  it('shouldWriteIntegersAndDateTimesLittleEndianWhenInRange', () => {
    expect(bytesOf('UInt8', 1)).toBe('01');
    expect(bytesOf('UInt32', 0x01020304)).toBe('04 03 02 01');
    expect(bytesOf('DateTime', 1_700_000_000)).toBe('00 f1 53 65');
    expect(bytesOf('UInt64', 1_700_000_000_999)).toBe(le64(1_700_000_000_999n));
    expect(bytesOf('UInt64', Number.MAX_SAFE_INTEGER)).toBe(le64(2n ** 53n - 1n));
    expect(bytesOf('Int64', -5)).toBe(le64(-5n));
    expect(bytesOf('Int64', -(2 ** 40) - 3)).toBe(le64(-(2n ** 40n) - 3n));
  });

  it('shouldWriteA64BitIntegerExactlyWhenGivenAsADecimalString', () => {
    expect(bytesOf('UInt64', '41')).toBe(le64(41n));
    expect(bytesOf('UInt64', '18446744073709551615')).toBe('ff ff ff ff ff ff ff ff');
    expect(bytesOf('UInt64', '9007199254740993')).toBe(le64(9007199254740993n)); // 2^53 + 1
    expect(bytesOf('Int64', '-9223372036854775808')).toBe(le64(-(2n ** 63n)));
  });

  it('shouldMarkNullsAndPrefixValuesWhenNullable', () => {
    expect(bytesOf('Nullable(String)', null)).toBe('01');
    expect(bytesOf('Nullable(String)', undefined)).toBe('01');
    expect(bytesOf('Nullable(String)', 'a')).toBe('00 01 61');
    expect(bytesOf('Nullable(Float64)', 0)).toBe('00 00 00 00 00 00 00 00 00');
  });

  it('shouldPrefixArraysWithTheirLengthWhenEmptyOrNot', () => {
    expect(bytesOf('Array(String)', [])).toBe('00');
    expect(bytesOf('Array(String)', ['a', ''])).toBe('02 01 61 00');
    expect(bytesOf('Array(Float64)', [1])).toBe('01 00 00 00 00 00 00 f0 3f');
  });

  it('shouldWriteEveryColumnInTheDeclaredOrderWhenGivenManyRows', () => {
    const encode = rowBinaryEncoder<{ b: number; a: string }>({ a: 'String', b: 'UInt8' });
    // the declaration's order, not the row object's
    expect([
      ...encode([
        { b: 7, a: 'x' },
        { b: 8, a: '' },
      ]),
    ]).toEqual([1, 0x78, 7, 0, 8]);
    // a second, much larger batch grows the buffer past its estimate from the first
    const big = Array.from({ length: 5000 }, (_, i) => ({ a: 'y'.repeat(i % 300), b: i % 256 }));
    const bytes = encode(big);
    let at = 0;
    for (const row of big) {
      let length = 0;
      let shift = 0;
      for (;;) {
        const byte = bytes[at++]!;
        length |= (byte & 0x7f) << shift;
        shift += 7;
        if (byte < 0x80) break;
      }
      expect(bytes.subarray(at, at + length).toString()).toBe(row.a);
      at += length;
      expect(bytes[at++]).toBe(row.b);
    }
    expect(at).toBe(bytes.length);
  });

  it('shouldEncodeTheSameBytesWhenRowsAreAddedToABatchOneAtATime', () => {
    const encode = rowBinaryEncoder<{ a: string; b: number[] }>({ a: 'String', b: 'Array(Float64)' });
    const rows = Array.from({ length: 3000 }, (_, i) => ({ a: `row ${i} é`, b: [i, -i / 3] }));
    const batch = encode.batch();
    for (const row of rows) batch.add(row);
    expect(batch.count).toBe(3000);
    expect(batch.bytes()).toEqual(encode(rows));
    expect(encode.batch().bytes()).toEqual(Buffer.alloc(0));
  });

  it('shouldRefuseAColumnTypeItHasNoEncodingForWhenMadeNotWhenWriting', () => {
    expect(() => rowBinaryEncoder({ c: 'Array(UInt8)' as Columns[string] })).toThrow(
      /no encoding for .*Array\(UInt8\)/,
    );
    expect(() => rowBinaryEncoder({ c: 'Int32' as Columns[string] })).toThrow(/no encoding for .*Int32/);
  });

  it('shouldThrowANonRetriableErrorNamingTheColumnWhenAValueDoesNotFit', () => {
    const cases: [Columns[string], unknown][] = [
      ['String', null],
      ['String', 5],
      ['UInt8', 256],
      ['UInt32', -1],
      ['DateTime', 1.5],
      ['UInt64', -1],
      ['UInt64', '18446744073709551616'],
      ['UInt64', 2 ** 60],
      ['Int64', '1e3'],
      ['Float64', '1.5'],
      ['Array(String)', 'a'],
      ['Array(Float64)', [null]],
      ['Array(String)', ['a', 1]],
    ];
    for (const [type, value] of cases) {
      const error = (() => {
        try {
          rowBinaryEncoder({ my_column: type })([{ my_column: value }]);
        } catch (e) {
          return e;
        }
      })();
      expect(error, `${type} ${String(value)}`).toBeInstanceOf(RowEncodeError);
      expect((error as RowEncodeError).retriable).toBe(false);
      expect((error as RowEncodeError).message).toContain('my_column');
    }
  });
});
