import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, isRetriable } from '../../core/src/errors.ts';
import { DEAD_LETTER_HEADERS } from '../../core/src/kafka/dead-letter.ts';
import type { Admission } from './admission.ts';
import { eventsOf, readBody } from './body.ts';
import { IngestRequestError } from './errors.ts';
import type { AcceptedEvent, RejectedEvent } from './validate-events.ts';

/** A message for Kafka, as kafkajs takes it. */
export interface OutMessage {
  key: string | null;
  value: Buffer;
  headers?: Record<string, string>;
}

/** Where one path's events go. */
export interface Route {
  topic: string;
  /** The events checked and encoded by the topic's codec (`validateEvents` with it). */
  validate: (events: readonly unknown[]) => Promise<{ accepted: AcceptedEvent[]; rejected: RejectedEvent[] }>;
}

export interface IngestDeps {
  routes: ReadonlyMap<string, Route>;
  deadLetterTopic: string;
  /** Resolves once Kafka acknowledged every message (acks=all). */
  send: (topic: string, messages: OutMessage[]) => Promise<void>;
  admission: Admission;
  token: string;
  maxBodyBytes: number;
  maxBatchEvents: number;
  sendTimeoutMs: number;
  onOutcome?: (topic: string, accepted: number, rejected: number) => void;
  onRefused?: (status: number) => void;
  now?: () => number;
}

function hasToken(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reply(
  res: ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A dead letter for an event refused over HTTP: its JSON bytes, the reason, and `http` as its source. */
function deadLetter(topic: string, r: RejectedEvent, now: number): OutMessage {
  return {
    key: r.key,
    value: r.raw,
    headers: {
      [DEAD_LETTER_HEADERS.sourceTopic]: topic,
      [DEAD_LETTER_HEADERS.sourcePartition]: '-1',
      [DEAD_LETTER_HEADERS.sourceOffset]: '-1',
      [DEAD_LETTER_HEADERS.reason]: r.reason,
      [DEAD_LETTER_HEADERS.error]: r.error.slice(0, 1000),
      [DEAD_LETTER_HEADERS.failedAt]: String(now),
      'driftline.source': 'http',
    },
  };
}

/** Kafka's acknowledgement within the timeout, else a 503 the client may retry (duplicates count once). */
function withinTimeout(sent: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new IngestRequestError(503, `Kafka did not acknowledge within ${ms} ms`, { retriable: true })),
      ms,
    );
  });
  return Promise.race([sent, timeout]).finally(() => clearTimeout(timer));
}

/** Validates a body's events and waits until Kafka holds every accepted event and every dead letter. */
async function ingest(
  req: IncomingMessage,
  route: Route,
  d: IngestDeps,
  hold: (sends: Promise<unknown>) => void,
): Promise<object> {
  const events = eventsOf(await readBody(req, d.maxBodyBytes), d.maxBatchEvents);
  const { accepted, rejected } = await route.validate(events);
  const now = (d.now ?? Date.now)();
  const sends: Promise<void>[] = [];
  if (accepted.length > 0)
    sends.push(
      d.send(
        route.topic,
        accepted.map((a) => ({ key: a.key, value: a.value })),
      ),
    );
  if (rejected.length > 0)
    sends.push(
      d.send(
        d.deadLetterTopic,
        rejected.map((r) => deadLetter(route.topic, r, now)),
      ),
    );
  const all = Promise.all(sends).then(() => undefined);
  hold(all);
  await withinTimeout(all, d.sendTimeoutMs).catch((error: unknown) => {
    if (error instanceof IngestRequestError) throw error;
    throw new IngestRequestError(503, `Kafka refused the events: ${describe(error)}`, {
      retriable: isRetriable(error),
      cause: error,
    });
  });
  d.onOutcome?.(route.topic, accepted.length, rejected.length);
  const errors = rejected.map(({ index, reason, error }) => ({ index, reason, error }));
  return { accepted: accepted.length, rejected: errors };
}

/**
 * One HTTP request: token, route, admission, then the events. Holds its bytes of the admission budget until
 * its Kafka sends settle (not merely until the answer), so a timed-out request still counts against memory.
 */
export async function handleRequest(req: IncomingMessage, res: ServerResponse, d: IngestDeps): Promise<void> {
  const refuse = (status: number, error: string, headers: Record<string, string> = {}) => {
    d.onRefused?.(status);
    req.resume();
    reply(res, status, { error }, headers);
  };
  if (!hasToken(req, d.token)) return refuse(401, 'missing or wrong bearer token');
  const route = d.routes.get(new URL(req.url ?? '/', 'http://x').pathname);
  if (route === undefined) return refuse(404, `POST to one of ${[...d.routes.keys()].join(', ')}`);
  if (req.method !== 'POST') return refuse(405, 'POST only', { allow: 'POST' });
  const announced = Number(req.headers['content-length'] ?? NaN);
  const reserve = Number.isFinite(announced) ? Math.min(announced, d.maxBodyBytes) : d.maxBodyBytes;
  if (!d.admission.tryAcquire(reserve))
    return refuse(429, 'too many bytes in flight: Kafka is behind; retry later', { 'retry-after': '1' });
  let sends: Promise<unknown> = Promise.resolve();
  try {
    reply(res, 202, await ingest(req, route, d, (p) => (sends = p)));
  } catch (error) {
    const status = error instanceof IngestRequestError ? error.status : 500;
    refuse(status, describe(error), status === 503 ? { 'retry-after': '1' } : {});
  } finally {
    void sends.catch(() => undefined).finally(() => d.admission.release(reserve));
  }
}
