import { TimeRangeError } from '../errors.ts';
import { durationMs } from './duration.ts';

/**
 * The one reader of a time range given by a person or an agent (the report's `--from`/`--to`, the MCP tools'
 * `from`/`to`): instants, epoch milliseconds, `now`, or a duration back in the core's grammar (`60m` = `1h`).
 */

/** A half-open time range [fromMs, toMs) in epoch milliseconds. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** How far back a range looks when `from` is not given. @default 7 days */
export const DEFAULT_LOOKBACK = '7d';

/** What the bounds are called where they were typed (`--from` on a command line, `from` in a tool). */
export interface BoundNames {
  from: string;
  to: string;
}

const FORMATS =
  "an ISO-8601 time ('2026-01-01', '2026-01-01T12:00:00Z'), epoch milliseconds, 'now', " +
  "or a duration back in time ('30m', '24h', '7d', '2w')";

/**
 * Parses a range. A duration counts back from `to` (for `from`) or from now (for `to`).
 * @param now the clock, injected so that tests are deterministic
 * @param names how the caller's user calls the bounds, for messages @default {from: 'from', to: 'to'}
 * @throws TimeRangeError (not retriable) naming the bound and the valid formats, or when from is not before to
 * @example parseRange('24h', '2026-01-02T00:00:00Z', 0) // { fromMs: 1767225600000, toMs: 1767312000000 }
 */
export function parseRange(
  from: string | undefined,
  to: string | undefined,
  now: number,
  names: BoundNames = { from: 'from', to: 'to' },
): TimeRange {
  const toMs = to === undefined ? now : parseInstant(names.to, to, now);
  const fromMs = parseInstant(names.from, from ?? DEFAULT_LOOKBACK, toMs);
  if (!(fromMs < toMs)) {
    throw new TimeRangeError(
      `${names.from} (${new Date(fromMs).toISOString()}) must be before ${names.to} (${new Date(toMs).toISOString()})`,
    );
  }
  return { fromMs, toMs };
}

/** One bound: an instant, or a duration back from `anchorMs`. */
function parseInstant(name: string, text: string, anchorMs: number): number {
  const value = text.trim();
  if (value === 'now') return anchorMs;
  if (/^\d{10,}$/.test(value)) return Number(value);
  const duration = durationMs(value, { unit: 'required' });
  if (duration !== undefined) return anchorMs - duration;
  // A bare date means midnight UTC (Date.parse already does so); a date-time without a zone is read as UTC
  // too, so that the same input gives the same range on every machine.
  const iso = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(iso) ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) throw new TimeRangeError(`${name} ${JSON.stringify(text)}: expected ${FORMATS}`);
  return ms;
}
