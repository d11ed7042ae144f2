import { z } from 'zod';
import { TimeRangeError } from '../../core/src/errors.ts';
import { normalDuration } from '../../core/src/windows/duration.ts';
import { parseRange, type TimeRange } from '../../core/src/windows/time-range.ts';
import { ToolInputError } from './errors.ts';

/**
 * Argument schemas the tools share. Every string is length-bounded; lists and limits have ceilings, so no
 * argument can ask for an unbounded answer.
 */
const id = (what: string) => z.string().min(1).max(256).describe(what);

export const modelId = id('model_id, as in the events');
export const modelVersion = id('model_version, as in the events');
export const from = z
  .string()
  .max(64)
  .optional()
  .describe(
    "start of the window: ISO-8601, epoch ms, or a duration back from `to` such as '24h' (default 7d)",
  );
export const to = z
  .string()
  .max(64)
  .optional()
  .describe("end of the window, exclusive: ISO-8601, epoch ms or 'now'");

/** A row limit with a default and a hard ceiling. */
export function limit(defaultRows: number, maxRows: number) {
  return z.number().int().min(1).max(maxRows).default(defaultRows).describe(`rows at most (≤ ${maxRows})`);
}

/**
 * The tool's window from its `from`/`to` arguments (core's range grammar, as the report reads it), on the
 * given clock.
 * @throws ToolInputError naming the valid formats, or when from is not before to
 */
export function windowOf(args: { from?: string; to?: string }, nowMs: number): TimeRange {
  try {
    return parseRange(args.from, args.to, nowMs);
  } catch (error) {
    if (error instanceof TimeRangeError) throw new ToolInputError(error.message, error);
    throw error;
  }
}

/**
 * A `window_size` filter: durations in core's normal form, as the monitors write them (`60m` finds the `1h`
 * windows), anything else (`last_1000`, the rolling window) as typed.
 */
export const windowSize = z
  .string()
  .max(32)
  .optional()
  .transform((s) => (s === undefined ? undefined : (normalDuration(s, { unit: 'required' }) ?? s.trim())))
  .describe("tumbling window such as '5m', '1h' (60m is 1h), or 'last_1000' for the rolling window");
