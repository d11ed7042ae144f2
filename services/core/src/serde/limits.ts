import { DecodeError } from '../errors.ts';

/**
 * The limits every input event must respect, whatever its encoding or the service reading it. They keep one
 * crafted event from costing a service its memory or its stack, and are generous: real models send ids of a
 * few dozen characters and features by the hundred. Enforced by the input topics' codecs (codecs.ts, option
 * `limits`), which every reader of the user topics runs (sink, label joiner, drift monitor, estimator,
 * ingest): checkSizeLimits after the checks of validate.ts, unless the compiled Avro reader found the body
 * plain within these limits (avro-reader.ts); and, for JSON nesting, before JSON.parse (json-event.ts). An event over a limit is dead-lettered
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
 * Runs once per event in every reader, so an offender's path is only spelled out when there is one: the walk
 * keeps each value's parent and key, and numbers, booleans and nulls (most features) are never stacked.
 * @throws DecodeError('invalid_record') (not retriable)
 */
export function checkSizeLimits(record: unknown): void {
  const walk = new Walk(record);
  while (walk.pending.length > 0) {
    const at = walk.pending.pop()!;
    const value = walk.values[at];
    if (typeof value === 'string') {
      if (value.length > INPUT_LIMITS.maxStringChars)
        throw tooLarge(walk.path(at), value.length, 'maxStringChars');
      if (value.includes(REPLACEMENT)) throw notUtf8(walk.path(at));
    } else if (Array.isArray(value)) {
      if (value.length > INPUT_LIMITS.maxArrayItems)
        throw tooLarge(walk.path(at), value.length, 'maxArrayItems');
      for (let i = 0; i < value.length; i++) walk.push(value[i], at, i);
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      if (at !== 0 && keys.length > INPUT_LIMITS.maxMapEntries) {
        throw tooLarge(walk.path(at), keys.length, 'maxMapEntries');
      }
      for (const key of keys) {
        if (key.length > INPUT_LIMITS.maxStringChars)
          throw tooLarge(`${walk.path(at)} key`, key.length, 'maxStringChars');
        if (key.includes(REPLACEMENT)) throw notUtf8(`${walk.path(at)} key`);
        walk.push((value as Record<string, unknown>)[key], at, key);
      }
    }
  }
}

/** The values still to check (a stack of indexes), each with its parent and its key or index there. */
class Walk {
  readonly values: unknown[];
  readonly parents: number[] = [-1];
  readonly keys: (string | number)[] = [''];
  readonly pending: number[] = [0];

  constructor(record: unknown) {
    this.values = [record];
  }

  /** Stacks a value that has something to check (a string, an array, an object). */
  push(value: unknown, parent: number, key: string | number): void {
    if (value === null || (typeof value !== 'string' && typeof value !== 'object')) return;
    this.pending.push(this.values.length);
    this.values.push(value);
    this.parents.push(parent);
    this.keys.push(key);
  }

  /** `features.x`, `embeddings.e[3]`; '' for the record itself. Object keys below the top are cut at 40 characters. */
  path(at: number): string {
    if (at === 0) return '';
    const parent = this.path(this.parents[at]!);
    const key = this.keys[at]!;
    if (typeof key === 'number') return `${parent}[${key}]`;
    return parent === '' ? key : `${parent}.${key.slice(0, 40)}`;
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
