/**
 * When an event-time window is final, across the partitions of its source topic: the one home of the rule the
 * drift monitor's and the estimator's close loops apply (pure; their I/O reads the inputs).
 *
 * Each source partition keeps a stream time per model (the largest event time of the model it processed). A
 * model's watermark is the event time up to which no partition can still bring it events; a window is final
 * once its end plus the grace is at or below its model's watermark (Kafka Streams' rule, per model so that one
 * busy model does not close a slower one's windows). A model silent for long enough is idle: all its windows
 * are final.
 */

/** A model's stream time on one source partition, and when (wall clock) a batch last had events of it. */
export interface PartitionClock {
  partition: number;
  timeMs: number;
  writtenAtMs: number;
}

/** Which partitions of the source topic still have records to process (source-lag.ts reads it). */
export interface SourceLag {
  /** How many partitions the source topic has. */
  partitions: number;
  /** Partitions holding records the consumer group has not committed yet. */
  lagging: ReadonlySet<number>;
}

/** What the closer knows of the source: its lag, and which partitions have processed any event at all. */
export interface SourceProgress extends SourceLag {
  /** Partitions with a stored stream time for some model (a partition's first batch has been processed). */
  started: ReadonlySet<number>;
}

/**
 * How closing treats a caught-up partition on which the model's stream time is behind the others'.
 * - `revisable`: the closer recomputes a window when a partial of it advances later (the drift monitor), so
 *   only partitions with unprocessed records hold the model back; a caught-up partition is assumed to hold
 *   no more of it, and should some come, the window is closed again with it.
 * - `once`: a closed window is never reopened and its stragglers are counted late (the estimator), so every
 *   partition of the source must have passed the window: no assumption about a partition that may still
 *   bring events of the model.
 */
export type Closing = 'revisable' | 'once';

export interface FinalityRule {
  closing: Closing;
  /** Wall-clock silence after which a model is idle; 0 turns the idle rule off. */
  idleMs: number;
}

/**
 * A model is idle when no batch had events of it for `idleMs` of wall-clock time and nothing of it can be
 * waiting: none of its partitions has unprocessed records, and no partition with unprocessed records is still
 * before its first batch. (A service back from an outage is behind, not idle: its backlog comes first.)
 */
export function isIdle(
  own: readonly PartitionClock[],
  source: SourceProgress,
  nowMs: number,
  idleMs: number,
): boolean {
  if (idleMs <= 0 || own.length === 0) return false;
  for (const p of source.lagging) if (!source.started.has(p)) return false;
  if (own.some((p) => source.lagging.has(p.partition))) return false;
  return nowMs - Math.max(...own.map((p) => p.writtenAtMs)) >= idleMs;
}

/**
 * A model's event-time watermark: +Infinity when it is idle; -Infinity while a partition that may still bring
 * it events has no stream time (a group's first start, or, when closing `once`, a partition without any
 * event of the model); otherwise the smallest stream time of the model on the partitions that hold it back
 * (see {@link Closing}), or, when closing is `revisable` and none does, its largest.
 * @example modelWatermark([{partition:0, timeMs:90, writtenAtMs:0}], {partitions:1, lagging:new Set(), started:new Set([0])}, 1000, {closing:'revisable', idleMs:0}) // 90
 */
export function modelWatermark(
  own: readonly PartitionClock[],
  source: SourceProgress,
  nowMs: number,
  rule: FinalityRule,
): number {
  if (isIdle(own, source, nowMs, rule.idleMs)) return Infinity;
  if (own.length === 0) return -Infinity;
  const times = own.map((p) => p.timeMs);
  if (rule.closing === 'once') {
    const carrying = new Set(own.map((p) => p.partition));
    return carrying.size >= source.partitions ? Math.min(...times) : -Infinity;
  }
  for (const p of source.lagging) if (!source.started.has(p)) return -Infinity;
  const behind = own.filter((p) => source.lagging.has(p.partition)).map((p) => p.timeMs);
  return behind.length > 0 ? Math.min(...behind) : Math.max(...times);
}

/** A window is final, and accepts no more events, once its end plus the grace is at or below the watermark. */
export function isFinal(windowEndMs: number, graceMs: number, watermarkMs: number): boolean {
  return windowEndMs + graceMs <= watermarkMs;
}

/**
 * An event is late, and counted in no window, once its time plus the grace is below the watermark: the same
 * threshold as {@link isFinal}, so a window that accepted an event was not yet final, and one that is final
 * accepts none (a service deciding both per record keeps every window consistent with its buckets).
 */
export function isLate(eventTimeMs: number, graceMs: number, watermarkMs: number): boolean {
  return eventTimeMs + graceMs < watermarkMs;
}
