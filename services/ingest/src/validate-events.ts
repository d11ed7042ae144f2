import { DecodeError, describe } from '../../core/src/errors.ts';
import type { RecordCodec } from '../../core/src/serde/record-codec.ts';

/** An event that passed: its Kafka key and its value as Avro in the wire format under the registered schema. */
export interface AcceptedEvent {
  index: number;
  key: string;
  value: Buffer;
}

/** An event that did not, with the reason code the Kafka path gives the same input. */
export interface RejectedEvent {
  index: number;
  key: string | null;
  reason: string;
  error: string;
  /** The event as JSON bytes: what the dead-letter topic keeps. */
  raw: Buffer;
}

/**
 * Each event through the codec the consumers use on a JSON value from Kafka (the same parsing of timestamps,
 * the same Avro type check, the same contract rules), then encoded as Avro for the topic. Invalid events are
 * returned, never thrown: one bad event does not refuse its batch.
 */
export async function validateEvents<T extends { prediction_id: string }>(
  events: readonly unknown[],
  codec: RecordCodec<T>,
): Promise<{ accepted: AcceptedEvent[]; rejected: RejectedEvent[] }> {
  const accepted: AcceptedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  for (const [index, event] of events.entries()) {
    const raw = Buffer.from(JSON.stringify(event) ?? 'null');
    const key = keyOf(event);
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      rejected.push({ index, key, reason: 'invalid_record', error: 'an event must be a JSON object', raw });
      continue;
    }
    try {
      const record = await codec.decode(raw);
      accepted.push({ index, key: record.prediction_id, value: codec.encode(record) });
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      rejected.push({ index, key, reason: error.reason, error: describe(error), raw });
    }
  }
  return { accepted, rejected };
}

function keyOf(event: unknown): string | null {
  const id = (event as { prediction_id?: unknown } | null)?.prediction_id;
  return typeof id === 'string' ? id : null;
}
