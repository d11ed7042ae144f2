import { ConfigError } from '../errors.ts';
import { isFinal } from './window-finality.ts';

/** An event-time window [start, end). */
export interface TimeWindow {
  start: number;
  end: number;
}

/**
 * Fixed-size, non-overlapping event-time windows with a grace period: a window accepts late events until the
 * stream time passes `end + graceMs`, then it is final. Immutable; the named constructor forces the choice of
 * grace (as Kafka Streams' `TimeWindows.ofSizeAndGrace`).
 */
export class TumblingWindows {
  private constructor(
    readonly sizeMs: number,
    readonly graceMs: number,
  ) {}

  /** @throws ConfigError when the size is not a positive whole number of milliseconds or grace is negative. */
  static ofSizeAndGrace(sizeMs: number, graceMs: number, setting = 'window'): TumblingWindows {
    if (!Number.isInteger(sizeMs) || sizeMs <= 0)
      throw new ConfigError(setting, `window size must be a positive whole number of ms, got ${sizeMs}`);
    if (!Number.isInteger(graceMs) || graceMs < 0)
      throw new ConfigError(setting, `grace must be >= 0 ms, got ${graceMs}`);
    return new TumblingWindows(sizeMs, graceMs);
  }

  /** The window holding `timestamp`. Pure; windows align to the epoch (UTC). */
  windowFor(timestamp: number): TimeWindow {
    const start = timestamp - (((timestamp % this.sizeMs) + this.sizeMs) % this.sizeMs);
    return { start, end: start + this.sizeMs };
  }

  /** A window is closed, and final, once the stream time passed its end plus grace (window-finality.ts). */
  isClosed(window: TimeWindow, streamTime: number): boolean {
    return isFinal(window.end, this.graceMs, streamTime);
  }
}
