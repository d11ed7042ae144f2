import type { IncomingMessage } from 'node:http';
import { IngestRequestError } from './errors.ts';

/**
 * The request body, at most `limit` bytes. A body announced (Content-Length) or found larger is refused with
 * 413 before it is kept; the rest of it is read and dropped so the client still gets the answer.
 * @throws IngestRequestError 413 (too large) or 400 (the client broke off)
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const announced = Number(req.headers['content-length'] ?? NaN);
  if (announced > limit) throw tooLarge(req, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(req, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(req: IncomingMessage, limit: number): IngestRequestError {
  req.resume();
  return new IngestRequestError(413, `body larger than DRIFTLINE_INGEST_MAX_BODY_BYTES (${limit} bytes)`);
}

/**
 * The events of a body: a JSON object is one event, a JSON array a batch.
 * @throws IngestRequestError 400 when the body is not JSON or neither an object nor an array; 413 past maxEvents
 */
export function eventsOf(body: Buffer, maxEvents: number): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new IngestRequestError(400, `body is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const events = Array.isArray(parsed)
    ? parsed
    : parsed !== null && typeof parsed === 'object'
      ? [parsed]
      : null;
  if (events === null)
    throw new IngestRequestError(400, 'body must be a JSON object (one event) or an array of them');
  if (events.length > maxEvents)
    throw new IngestRequestError(
      413,
      `${events.length} events, more than DRIFTLINE_INGEST_MAX_BATCH_EVENTS (${maxEvents})`,
    );
  return events;
}
