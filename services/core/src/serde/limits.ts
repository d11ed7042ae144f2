import { DecodeError } from '../errors.ts';

/**
 * The limits every input event must respect, whatever its encoding or the service reading it. They keep one
 * crafted event from costing a service its memory or its stack, and are generous: real models send ids of a
 * few dozen characters and features by the hundred. Enforced in `checkInference` / `checkGroundTruth`
 * (validate.ts), which every reader of the user topics runs (sink, label joiner, drift monitor, estimator,
 * ingest), and, for JSON nesting, before JSON.parse (json-event.ts). An event over a limit is dead-lettered
 * with reason `invalid_record` (nesting: `json_parse_failed`); the consumer moves on.
 *
 * Event time must also lie between 2000-01-01 and 2100-01-01 (validate.ts). Kafka keys are not interpreted
 * (events are identified by `prediction_id` in the value), so a key's size is bounded only by the broker's
 * maximum message size.
 */
export const INPUT_LIMITS = {
  /** `prediction_id`, `model_id`, `model_version`: characters. */
  maxIdChars: 1_024,
  /** Any other string in an event (feature values and names, labels, tags, classes): characters. */
  maxStringChars: 65_536,
  /** Entries of any map in an event (features, scores, tags, embeddings). */
  maxMapEntries: 10_000,
  /** Elements of any array in an event (an embedding's dimensions). */
  maxArrayItems: 65_536,
  /** Depth of a JSON value's nesting ({ and [): the schemas need 4 at most. */
  maxJsonDepth: 32,
} as const;

/** What a UTF-8 decoder (avsc's, Node's) makes of bytes that are not UTF-8. */
const REPLACEMENT = '\uFFFD';

/**
 * Checks every string, map and array of a decoded (already type-checked, hence shallow) event against
 * INPUT_LIMITS and names the first offender. A string holding U+FFFD is refused too: it is what invalid UTF-8
 * bytes decode to, and an id mangled so would never join its counterpart. Iterative, so no value can exhaust the stack. Pure.
 * @throws DecodeError('invalid_record') (not retriable)
 */
export function checkSizeLimits(record: unknown): void {
  const pending: [unknown, string][] = [[record, '']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (value.length > INPUT_LIMITS.maxStringChars) throw tooLarge(path, value.length, 'maxStringChars');
      if (value.includes(REPLACEMENT)) throw notUtf8(path);
    } else if (Array.isArray(value)) {
      if (value.length > INPUT_LIMITS.maxArrayItems) throw tooLarge(path, value.length, 'maxArrayItems');
      value.forEach((item, i) => pending.push([item, `${path}[${i}]`]));
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      if (path !== '' && entries.length > INPUT_LIMITS.maxMapEntries) {
        throw tooLarge(path, entries.length, 'maxMapEntries');
      }
      for (const [key, item] of entries) {
        if (key.length > INPUT_LIMITS.maxStringChars)
          throw tooLarge(`${path} key`, key.length, 'maxStringChars');
        if (key.includes(REPLACEMENT)) throw notUtf8(`${path} key`);
        pending.push([item, path === '' ? key : `${path}.${key.slice(0, 40)}`]);
      }
    }
  }
}

/** @throws DecodeError('invalid_record') when `value` is longer than maxIdChars. */
export function checkIdLength(value: string, field: string): void {
  if (value.length > INPUT_LIMITS.maxIdChars) throw tooLarge(field, value.length, 'maxIdChars');
}

/**
 * Nesting depth of a JSON text, counted on its bytes (brackets outside strings) so that a hostile value is
 * refused before JSON.parse builds it. Pure.
 * @throws DecodeError('json_parse_failed') when deeper than maxJsonDepth.
 */
export function checkJsonDepth(text: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next byte is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > INPUT_LIMITS.maxJsonDepth) {
        throw new DecodeError(
          'json_parse_failed',
          `JSON nesting deeper than ${INPUT_LIMITS.maxJsonDepth} (INPUT_LIMITS.maxJsonDepth)`,
        );
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

function notUtf8(path: string): DecodeError {
  return new DecodeError('invalid_record', `${path || 'record'} is not valid UTF-8 (holds U+FFFD)`);
}

function tooLarge(path: string, size: number, limit: keyof typeof INPUT_LIMITS): DecodeError {
  return new DecodeError(
    'invalid_record',
    `${path || 'record'} too large: ${size} > ${INPUT_LIMITS[limit]} (INPUT_LIMITS.${limit})`,
  );
}
