import { describe } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface WallClockPunctuatorOptions {
  /** One pass: close what is due, look things up, ... */
  punctuate: () => Promise<unknown>;
  logger: Logger;
  /** What a failed pass did not do, for the log line (`closing windows`). */
  what: string;
}

/**
 * A punctuation on the wall clock (Kafka Streams' `PunctuationType.WALL_CLOCK_TIME`): the closing of windows
 * whose partial states sit in a table is due when time passes, not when a record arrives. Runs `punctuate`
 * `intervalMs` after the previous pass ended, so two passes never overlap; a failed pass is logged and the
 * next one tries again (every pass reads what it needs afresh, so nothing of a failed pass is kept).
 */
export class WallClockPunctuator {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: WallClockPunctuatorOptions) {}

  start(intervalMs: number): void {
    const { punctuate, logger, what } = this.options;
    const run = () => {
      this.running = punctuate()
        .catch((error: unknown) => logger.warn({ error: describe(error) }, `${what} failed; retrying`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(run, intervalMs);
        });
    };
    this.timer = setTimeout(run, intervalMs);
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
