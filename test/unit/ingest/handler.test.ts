import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import avro from 'avsc';
import { afterEach, describe, expect, it } from 'vitest';
import { readSchema } from '../../../services/core/src/records/schema-files.ts';
import { createCodecs } from '../../../services/core/src/serde/codecs.ts';
import { readSchemaId } from '../../../services/core/src/serde/wire-format.ts';
import { Admission } from '../../../services/ingest/src/admission.ts';
import { handleRequest, type IngestDeps, type OutMessage } from '../../../services/ingest/src/handler.ts';
import { validateEvents } from '../../../services/ingest/src/validate-events.ts';

const codecs = createCodecs({
  writerType: async () => avro.Type.forSchema(readSchema('InferenceEvent') as avro.Schema),
});
codecs.inference.schemaId = 7;

const event = (id: string) => ({
  prediction_id: id,
  model_id: 'm',
  model_version: 'v1',
  timestamp: '2026-01-01T00:00:00Z',
  features: { x: 1.5, plan: 'pro', flag: true, gone: null },
  prediction: { label: 'a', scores: { a: 0.9, b: 0.1 } },
});

let server: Server | undefined;
afterEach(() => server?.close());

/** The handler behind a real node:http server on a free loopback port, with Kafka replaced by `send`. */
async function serve(overrides: Partial<IngestDeps> = {}) {
  const sent: { topic: string; messages: OutMessage[] }[] = [];
  const deps: IngestDeps = {
    routes: new Map([
      ['/v1/inference', { topic: 'in', validate: (e) => validateEvents(e, codecs.inference) }],
    ]),
    deadLetterTopic: 'dlq',
    send: async (topic, messages) => void sent.push({ topic, messages }),
    admission: new Admission(1_000_000),
    token: 'secret',
    maxBodyBytes: 10_000,
    maxBatchEvents: 10,
    sendTimeoutMs: 200,
    ...overrides,
  };
  server = createServer((req, res) => void handleRequest(req, res, deps));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const post = async (body: string, token = 'secret') => {
    const r = await fetch(`http://127.0.0.1:${port}/v1/inference`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body,
    });
    return {
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
      retryAfter: r.headers.get('retry-after'),
    };
  };
  return { post, sent, deps };
}

describe('ingest handler', () => {
  it('shouldEncodeValidEventsAsAvroInTheWireFormatKeyedByPredictionId', async () => {
    const { post, sent } = await serve();
    const r = await post(JSON.stringify([event('p1'), event('p2')]));
    expect(r).toMatchObject({ status: 202, body: { accepted: 2, rejected: [] } });
    expect(sent).toHaveLength(1);
    const [m1] = sent[0]!.messages;
    expect(m1!.key).toBe('p1');
    expect(readSchemaId(m1!.value)).toBe(7);
    const back = await codecs.inference.decode(m1!.value);
    expect(back.timestamp).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(back.features).toEqual({ x: 1.5, plan: 'pro', flag: true, gone: null });
  });

  it('shouldAcceptTheValidEventsAndDeadLetterTheOthersWhenABatchIsMixed', async () => {
    const { post, sent } = await serve();
    const r = await post(JSON.stringify([event('p1'), { ...event('p2'), model_version: 3 }, 'text']));
    expect(r.status).toBe(202);
    expect((r.body.rejected as { index: number; reason: string }[]).map((x) => x.index)).toEqual([1, 2]);
    const dlq = sent.find((s) => s.topic === 'dlq')!;
    expect(dlq.messages.map((m) => m.key)).toEqual(['p2', null]);
    expect(dlq.messages[0]!.headers!['driftline.error.reason']).toBeTruthy();
    expect(sent.find((s) => s.topic === 'in')!.messages).toHaveLength(1);
  });

  it('shouldRefuseAWholeRequestWithA4xxWhenTheBodyIsWrongAndSendNothing', async () => {
    const { post, sent } = await serve();
    expect((await post('{"a":')).status).toBe(400);
    expect((await post('x'.repeat(10_001))).status).toBe(413);
    expect((await post(JSON.stringify(Array.from({ length: 11 }, (_, i) => event(`p${i}`))))).status).toBe(
      413,
    );
    expect((await post(JSON.stringify(event('p1')), 'nope')).status).toBe(401);
    expect(sent).toEqual([]);
  });

  it('shouldAnswer503WithRetryAfterWhenKafkaDoesNotAcknowledgeInTime', async () => {
    const { post } = await serve({ send: () => new Promise(() => undefined) });
    const r = await post(JSON.stringify(event('p1')));
    expect([r.status, r.retryAfter]).toEqual([503, '1']);
    expect(r.body.error).toMatch(/did not acknowledge within 200 ms/);
  });

  it('shouldAnswer429WhenTheBytesInFlightWouldPassTheBudget', async () => {
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((r) => (release = r));
    const admission = new Admission(600);
    const { post } = await serve({ admission, send: () => stuck, sendTimeoutMs: 50 });
    const body = JSON.stringify(event('p1'));
    expect((await post(body)).status).toBe(503); // its bytes stay held: Kafka still has them
    expect(admission.inFlightBytes).toBe(Buffer.byteLength(body));
    const refused = await post(body + ' '.repeat(600 - 2 * Buffer.byteLength(body) + 1));
    expect([refused.status, refused.retryAfter]).toEqual([429, '1']);
    release();
    await stuck;
    await new Promise((r) => setTimeout(r, 10));
    expect(admission.inFlightBytes).toBe(0);
  });
});
