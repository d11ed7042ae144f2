import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { DecodeError, ServerUnavailableError } from '../errors.ts';
import type { AvroSchema } from '../records/schema-files.ts';

export interface RegistryOptions {
  url: string;
  username?: string;
  password?: string;
}

/**
 * The registry port: register our schemas under `<topic>-value`, and fetch writer schemas by id (cached for
 * the process lifetime, as ids are immutable).
 */
export class SchemaRegistryClient {
  private readonly client: SchemaRegistry;
  private readonly writerTypes = new Map<number, Promise<avro.Type>>();

  constructor(private readonly options: RegistryOptions) {
    const auth = options.username
      ? { username: options.username, password: options.password ?? '' }
      : undefined;
    this.client = new SchemaRegistry({ host: options.url, auth });
  }

  /**
   * Registers `schema` under `subject` with BACKWARD compatibility; returns its id. Registering the same
   * schema again returns the same id.
   * @throws ServerUnavailableError (retriable) when the registry does not answer.
   */
  async register(subject: string, schema: AvroSchema): Promise<number> {
    try {
      await this.setCompatibility(subject, 'BACKWARD');
      const { id } = await this.client.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject },
      );
      return id;
    } catch (error) {
      throw new ServerUnavailableError(
        'schema registry',
        `cannot register ${subject} at ${this.options.url}: ${(error as Error).message}`,
        error,
      );
    }
  }

  /**
   * The writer's Avro type for a schema id.
   * @throws DecodeError('unknown_schema_id') when the registry has no such id (not retriable);
   *   ServerUnavailableError when it cannot be reached (retriable).
   */
  writerType(id: number): Promise<avro.Type> {
    let pending = this.writerTypes.get(id);
    if (!pending) {
      pending = this.fetchType(id);
      this.writerTypes.set(id, pending);
      pending.catch(() => this.writerTypes.delete(id));
    }
    return pending;
  }

  private async fetchType(id: number): Promise<avro.Type> {
    const response = await this.get(`/schemas/ids/${id}`);
    if (response.status === 404)
      throw new DecodeError('unknown_schema_id', `schema id ${id} is not in the registry`);
    if (!response.ok)
      throw new ServerUnavailableError('schema registry', `GET /schemas/ids/${id}: HTTP ${response.status}`);
    const body = (await response.json()) as { schema: string; schemaType?: string };
    if (body.schemaType && body.schemaType !== 'AVRO') {
      throw new DecodeError('unknown_schema_id', `schema id ${id} is ${body.schemaType}, not Avro`);
    }
    return avro.Type.forSchema(JSON.parse(body.schema) as avro.Schema);
  }

  private async setCompatibility(subject: string, level: 'BACKWARD'): Promise<void> {
    const response = await this.request('PUT', `/config/${encodeURIComponent(subject)}`, {
      compatibility: level,
    });
    if (!response.ok)
      throw new Error(`PUT /config/${subject}: HTTP ${response.status} ${await response.text()}`);
  }

  private get(path: string): Promise<Response> {
    return this.request('GET', path);
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/vnd.schemaregistry.v1+json' };
    if (this.options.username) {
      headers.Authorization = `Basic ${Buffer.from(`${this.options.username}:${this.options.password ?? ''}`).toString('base64')}`;
    }
    try {
      return await fetch(`${this.options.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ServerUnavailableError(
        'schema registry',
        `${method} ${this.options.url}${path} failed: ${(error as Error).message}`,
        error,
      );
    }
  }
}
