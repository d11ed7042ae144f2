import { RetriesExceededError, isRetriable } from './errors.ts';

export interface RetryOptions {
  /** @default 8 */
  attempts?: number;
  /** First back-off. @default 200 */
  initialMs?: number;
  /** Longest back-off. @default 10_000 */
  maxMs?: number;
  /** Called before each wait, for logging. */
  onRetry?: (error: unknown, attempt: number, waitMs: number) => void;
  /** Injected for tests. @default setTimeout-based sleep */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests: a number in [0, 1). @default Math.random */
  random?: () => number;
  /** Which errors are worth another attempt. @default isRetriable (the `retriable` flag) */
  retriable?: (error: unknown) => boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, backing off exponentially with full jitter. Decides from `retriable` alone
 * (or `options.retriable`): a non-retriable error is rethrown at once; running out throws RetriesExceededError
 * with the last cause.
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 8;
  const initialMs = options.initialMs ?? 200;
  const maxMs = options.maxMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (!(options.retriable ?? isRetriable)(error)) throw error;
      if (attempt >= attempts) throw new RetriesExceededError(attempt, error);
      const waitMs = Math.round(random() * Math.min(maxMs, initialMs * 2 ** (attempt - 1)));
      options.onRetry?.(error, attempt, waitMs);
      await sleep(waitMs);
    }
  }
}
