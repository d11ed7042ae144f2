/**
 * The Confluent wire format: byte 0 = 0x00 (magic), bytes 1-4 = big-endian schema id, then the Avro body.
 * Pure helpers, no registry access.
 */
export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

/** What the first byte of a value says it is. */
export type ValueEncoding = 'avro' | 'json' | 'unknown';

export function sniffEncoding(value: Buffer): ValueEncoding {
  if (value.length >= HEADER_LENGTH && value[0] === MAGIC_BYTE) return 'avro';
  // Leading whitespace is tolerated: kcat and curl users paste pretty-printed JSON.
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b ? 'json' : 'unknown';
  }
  return 'unknown';
}

export function readSchemaId(value: Buffer): number {
  return value.readUInt32BE(1);
}

export function withHeader(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_LENGTH + body.length);
  out[0] = MAGIC_BYTE;
  out.writeUInt32BE(schemaId, 1);
  body.copy(out, HEADER_LENGTH);
  return out;
}
