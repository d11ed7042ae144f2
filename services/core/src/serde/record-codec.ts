import avro from 'avsc';
import { DecodeError, DriftlineError } from '../errors.ts';
import type { AvroSchema } from '../records/schema-files.ts';
import { applyDefaults } from './defaults.ts';
import { parseJsonEvent } from './json-event.ts';
import { checkAgainstType } from './validate.ts';
import { readSchemaId, sniffEncoding, withHeader, HEADER_LENGTH } from './wire-format.ts';

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
   * Fields of the schema this reader leaves out of the records it returns. They are still decoded and checked
   * (INPUT_LIMITS included), so every reader of a topic passes the same verdict on an event: a projection that
   * skipped their bytes would let the label joiner join an event that the sink dead-letters.
   */
  skipFields?: readonly string[];
}

/**
 * Decodes a Kafka value into a checked record of type T: Avro in the Confluent wire format (resolved from the
 * writer's schema to ours) or a JSON object. Encodes records as Avro in the wire format.
 */
export class RecordCodec<T> {
  readonly type: avro.Type;
  private readonly resolvers = new Map<number, avro.Resolver>();
  private readonly timestampFields: string[];
  schemaId: number | undefined;

  constructor(private readonly options: RecordCodecOptions<T>) {
    this.type = avro.Type.forSchema(options.schema as avro.Schema);
    this.schemaId = options.schemaId;
    this.timestampFields = timestampFieldsOf(options.schema);
  }

  /** @throws DecodeError (not retriable) with a reason code; ServerUnavailableError when the registry is down. */
  async decode(value: Buffer | null): Promise<T> {
    if (value === null) throw new DecodeError('unknown_encoding', 'value is null (tombstone)');
    const encoding = sniffEncoding(value);
    let record: unknown;
    if (encoding === 'avro') record = await this.decodeAvro(value);
    else if (encoding === 'json') record = this.decodeJson(value);
    else {
      const first =
        value.length === 0 ? 'empty value' : `first byte 0x${value[0]!.toString(16).padStart(2, '0')}`;
      throw new DecodeError(
        'unknown_encoding',
        `not Avro (0x00 + schema id) nor a JSON object ({): ${first}`,
      );
    }
    this.options.check?.(record as T);
    for (const field of this.options.skipFields ?? []) delete (record as Record<string, unknown>)[field];
    return record as T;
  }

  /** Avro body in the Confluent wire format under our registered schema id. */
  encode(record: T): Buffer {
    if (this.schemaId === undefined) throw new DriftlineError('encode before the schema was registered');
    return withHeader(this.schemaId, this.type.toBuffer(record));
  }

  private async decodeAvro(value: Buffer): Promise<unknown> {
    const id = readSchemaId(value);
    const resolver = await this.resolverFor(id);
    try {
      return this.type.fromBuffer(value.subarray(HEADER_LENGTH), resolver);
    } catch (error) {
      throw new DecodeError(
        'avro_decode_failed',
        `Avro body does not decode with schema id ${id}: ${(error as Error).message}`,
        error,
      );
    }
  }

  private decodeJson(value: Buffer): unknown {
    const record = applyDefaults(this.type, parseJsonEvent(value, this.timestampFields));
    checkAgainstType(this.type, record);
    return record;
  }

  private async resolverFor(id: number): Promise<avro.Resolver> {
    const cached = this.resolvers.get(id);
    if (cached) return cached;
    const writer = await this.options.writerSchemas.writerType(id);
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
    this.resolvers.set(id, resolver);
    return resolver;
  }
}

function timestampFieldsOf(schema: AvroSchema): string[] {
  const fields = (schema.fields ?? []) as { name: string; type: unknown }[];
  return fields.filter((f) => JSON.stringify(f.type).includes('timestamp-millis')).map((f) => f.name);
}
