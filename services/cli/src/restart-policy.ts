/**
 * When the supervisor starts a service again, and what it says about the last exit. Pure: the supervisor
 * process (supervisor-process.ts) brings the clock and the log.
 */

/** First wait before a restart; doubled per exit in a row, up to MAX_DELAY_MS. */
export const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 30_000;
/** A service that ran this long before it exited starts again from FIRST_DELAY_MS: it was not crash-looping. */
export const STABLE_AFTER_MS = 60_000;

/**
 * Exits in a row so far, after one that came `ranMs` after the start: a stable run resets the count.
 * @example exitsInARow(3, 5_000) === 4; exitsInARow(3, 120_000) === 1
 */
export function exitsInARow(previous: number, ranMs: number): number {
  return ranMs >= STABLE_AFTER_MS ? 1 : previous + 1;
}

/**
 * Wait before the next start after `inARow` exits in a row: 250 ms, 500 ms, 1 s, ... 30 s. A SIGKILLed service
 * is back at once; one that cannot start does not spin.
 */
export function restartDelayMs(inARow: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, inARow - 1));
}

/** Pino's level numbers: 50 error, 60 fatal. */
const ERROR_LEVEL = 50;
const FATAL_LEVEL = 60;
/** A plain-text error line: `SyntaxError: ...`, `Error: ...` (not a stack frame `at ...`). */
const PLAIN_ERROR = /^[A-Z]\w*Error\b/;

/** The line's level and readable text, or undefined when it is no error. */
function errorOf(line: string): { level: number; text: string } | undefined {
  if (!line.startsWith('{')) return PLAIN_ERROR.test(line) ? { level: FATAL_LEVEL, text: line } : undefined;
  let entry: { level?: number; msg?: string; error?: unknown };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return undefined;
  }
  if ((entry.level ?? 0) < ERROR_LEVEL) return undefined;
  const detail =
    typeof entry.error === 'string' && !entry.msg?.includes(entry.error) ? `: ${entry.error}` : '';
  return { level: entry.level!, text: `${entry.msg ?? ''}${detail}` };
}

/**
 * The line that says why a service stopped, from its JSON log: the last fatal line (or a plain-text error
 * such as a `SyntaxError` printed before the logger existed), else the last error line; undefined when none.
 * Fatal lines come first because kafkajs logs passing trouble (a rebalance, a topic already created) as errors.
 */
export function lastErrorLine(log: string): string | undefined {
  let lastError: string | undefined;
  const lines = log.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const found = errorOf(lines[i]!.trim());
    if (!found) continue;
    if (found.level >= FATAL_LEVEL) return found.text.slice(0, 300);
    lastError ??= found.text.slice(0, 300);
  }
  return lastError;
}

/** How a process ended, in words: `exited with code 75`, `killed by SIGKILL`. */
export function describeExit(code: number | null, signal: string | null): string {
  return signal ? `killed by ${signal}` : `exited with code ${code}`;
}
