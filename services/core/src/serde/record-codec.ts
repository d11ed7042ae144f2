import avro from 'avsc';
import { DecodeError, DriftlineError } from '../errors.ts';
import type { AvroSchema } from '../records/schema-files.ts';
import { compileAvroReader, lastValueWasPlain, type AvroReader } from './avro-reader.ts';
import { applyDefaults } from './defaults.ts';
import { parseJsonEvent } from './json-event.ts';
import { checkSizeLimits, INPUT_LIMITS } from './limits.ts';
import { checkAgainstType } from './validate.ts';
import { readSchemaId, sniffEncoding, withHeader, HEADER_LENGTH, MAGIC_BYTE } from './wire-format.ts';

/** Where writer schemas come from: the registry in production, anything in unit tests. */
export interface WriterSchemaSource {
  writerType(id: number): Promise<avro.Type>;
}

export interface RecordCodecOptions<T> {
  /** Our (reader) schema: the .avsc file. */
  schema: AvroSchema;
  writerSchemas: WriterSchemaSource;
  /** The id our own schema is registered under, for encoding. Set after registration. */
  schemaId?: number;
  /** Contract rules beyond the Avro type. @throws DecodeError */
  check?: (record: T) => void;
  /**
   * Whether records must respect INPUT_LIMITS (checkSizeLimits, after `check`): the user topics' records do.
   * An Avro body the compiled reader found plain within the limits needs no walk. @default false
   */
  limits?: boolean;
  /**
   * Fields of the schema this reader leaves out of the records it returns. They are still checked (INPUT_LIMITS
   * included), so every reader of a topic passes the same verdict on an event: a projection that skipped their
   * bytes unchecked would let the label joiner join an event that the sink dead-letters. The compiled reader
   * reads past them without making them; a value it finds not plain is read whole for the limits' walk.
   */
  skipFields?: readonly string[];
}

/**
 * Bounds within which a plain value (ASCII strings: no U+FFFD, as many characters as bytes) is within
 * INPUT_LIMITS: no string longer than maxStringChars, no map or array longer than the smaller of their limits.
 * Ids are longer than maxIdChars only in values the checks of validate.ts refuse on their own.
 */
const PLAIN_WITHIN_LIMITS = {
  maxStringBytes: INPUT_LIMITS.maxStringChars,
  maxItems: Math.min(INPUT_LIMITS.maxMapEntries, INPUT_LIMITS.maxArrayItems),
};

/** Where every codec encodes (encoding is synchronous); grows up to MAX_SCRATCH. */
let encodeScratch = Buffer.allocUnsafe(16 * 1024);
const MAX_SCRATCH = 1 << 20;

/**
 * Decodes a Kafka value into a checked record of type T: Avro in the Confluent wire format (resolved from the
 * writer's schema to ours) or a JSON object. Encodes records as Avro in the wire format.
 */
export class RecordCodec<T> {
  readonly type: avro.Type;
  /** Per writer schema id: our compiled reader when the writer's schema is ours, else avsc resolving it. */
  private readonly readers = new Map<number, BodyReader>();
  /** Our compiled reader of bodies written with our own schema (undefined: avsc reads them). */
  private readonly ownReader: AvroReader | undefined;
  /** The same, leaving `skipFields` out of the records, when there are fields to skip. */
  private readonly ownProjection: AvroReader | undefined;
  private readonly timestampFields: string[];
  /** The schema's fields minus `skipFields`, when there are fields to skip. */
  private readonly keptFields: readonly string[] | undefined;
  schemaId: number | undefined;

  constructor(private readonly options: RecordCodecOptions<T>) {
    this.type = avro.Type.forSchema(options.schema as avro.Schema);
    this.ownReader = compileAvroReader(this.type, PLAIN_WITHIN_LIMITS);
    this.schemaId = options.schemaId;
    this.timestampFields = timestampFieldsOf(options.schema);
    const skip = options.skipFields ?? [];
    this.ownProjection =
      skip.length > 0 && this.ownReader ? compileAvroReader(this.type, PLAIN_WITHIN_LIMITS, skip) : undefined;
    const fields = ((options.schema.fields ?? []) as { name: string }[]).map((f) => f.name);
    this.keptFields = skip.length > 0 ? fields.filter((f) => !skip.includes(f)) : undefined;
  }

  /** @throws DecodeError (not retriable) with a reason code; ServerUnavailableError when the registry is down. */
  async decode(value: Buffer | null): Promise<T> {
    if (value === null) throw new DecodeError('unknown_encoding', 'value is null (tombstone)');
    const encoding = sniffEncoding(value);
    let record: unknown;
    let plain = false;
    let projected = false;
    if (encoding === 'avro') {
      const id = readSchemaId(value);
      const reader = await this.readerFor(id);
      record = readBody(reader.read, value, id);
      // Only our compiled readers note it; avsc's values are walked.
      plain = reader.compiled && lastValueWasPlain();
      projected = reader.projects;
    } else if (encoding === 'json') record = this.decodeJson(value);
    else {
      const first =
        value.length === 0 ? 'empty value' : `first byte 0x${value[0]!.toString(16).padStart(2, '0')}`;
      throw new DecodeError(
        'unknown_encoding',
        `not Avro (0x00 + schema id) nor a JSON object ({): ${first}`,
      );
    }
    this.options.check?.(record as T);
    if (this.options.limits && !plain) {
      // A projection left fields out: the limits are checked on the whole record, as every reader checks them.
      checkSizeLimits(projected ? readBody(this.ownReader!, value, readSchemaId(value)) : record);
    }
    return (
      this.keptFields && !projected ? pick(record as Record<string, unknown>, this.keptFields) : record
    ) as T;
  }

  /** Avro body in the Confluent wire format under our registered schema id. */
  encode(record: T): Buffer {
    if (this.schemaId === undefined) throw new DriftlineError('encode before the schema was registered');
    // Encoded after the header in a shared buffer, then copied out at its exact size: avsc's toBuffer would
    // allocate a zero-filled buffer outside Node's pool per record, and the header a second one.
    let end = this.type.encode(record, encodeScratch, HEADER_LENGTH);
    if (end < HEADER_LENGTH) {
      // A negative end is the number of bytes missing: a record larger than the buffer is encoded on its own.
      if (encodeScratch.length - end > MAX_SCRATCH)
        return withHeader(this.schemaId, this.type.toBuffer(record));
      encodeScratch = Buffer.allocUnsafe(2 * (encodeScratch.length - end));
      end = this.type.encode(record, encodeScratch, HEADER_LENGTH);
    }
    const out = Buffer.allocUnsafe(end);
    encodeScratch.copy(out, HEADER_LENGTH, HEADER_LENGTH, end);
    out[0] = MAGIC_BYTE;
    out.writeUInt32BE(this.schemaId, 1);
    return out;
  }

  private decodeJson(value: Buffer): unknown {
    const record = applyDefaults(this.type, parseJsonEvent(value, this.timestampFields));
    checkAgainstType(this.type, record);
    return record;
  }

  private async readerFor(id: number): Promise<BodyReader> {
    const cached = this.readers.get(id);
    if (cached) return cached;
    const writer = await this.options.writerSchemas.writerType(id);
    let reader: BodyReader;
    // The same canonical schema (docs and defaults aside): the body is read as written, by the compiled reader.
    if (this.ownReader && writer.equals(this.type)) {
      reader = this.ownProjection
        ? { read: this.ownProjection, compiled: true, projects: true }
        : { read: this.ownReader, compiled: true, projects: false };
    } else {
      let resolver: avro.Resolver;
      try {
        resolver = this.type.createResolver(writer);
      } catch (error) {
        throw new DecodeError(
          'schema_mismatch',
          `writer schema id ${id} cannot be read as ${this.type.name}: ${(error as Error).message}`,
          error,
        );
      }
      reader = { read: (body) => this.type.fromBuffer(body, resolver), compiled: false, projects: false };
    }
    this.readers.set(id, reader);
    return reader;
  }
}

/** How the bodies of one writer schema are read. */
interface BodyReader {
  read: AvroReader;
  /** Read by our compiled reader, which notes whether the value was plain (else by avsc). */
  compiled: boolean;
  /** The record leaves out the codec's skipFields already. */
  projects: boolean;
}

/** The record of an Avro value in the wire format. @throws DecodeError('avro_decode_failed') */
function readBody(read: AvroReader, value: Buffer, id: number): unknown {
  try {
    return read(value.subarray(HEADER_LENGTH));
  } catch (error) {
    throw new DecodeError(
      'avro_decode_failed',
      `Avro body does not decode with schema id ${id}: ${(error as Error).message}`,
      error,
    );
  }
}

/**
 * A copy of `record` with only `fields`, always in the same order: one object shape for every record, where
 * deleting the skipped fields turned each record into a slow dictionary object (a hash table allocated per
 * record, and slower reads downstream).
 */
function pick(record: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = record[f];
  return out;
}

function timestampFieldsOf(schema: AvroSchema): string[] {
  const fields = (schema.fields ?? []) as { name: string; type: unknown }[];
  return fields.filter((f) => JSON.stringify(f.type).includes('timestamp-millis')).map((f) => f.name);
}
