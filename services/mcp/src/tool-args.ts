import { z } from 'zod';
import { parseRange, type TimeRange } from '../../report/src/range.ts';
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
 * The tool's window from its `from`/`to` arguments (the report's formats), on the given clock.
 * @throws ToolInputError naming the valid formats, or when from is not before to
 */
export function windowOf(args: { from?: string; to?: string }, nowMs: number): TimeRange {
  try {
    return parseRange(args.from, args.to, nowMs);
  } catch (error) {
    throw new ToolInputError((error as Error).message.replace(/^report: /, ''), error);
  }
}
