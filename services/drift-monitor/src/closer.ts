import { isFinal } from '../../core/src/windows/window-finality.ts';

/**
 * Phase 2 decisions, pure: which windows to (re)close, and which instance closes a model. When a window is
 * final is the core's rule (window-finality.ts); the I/O around them is in close-loop.ts.
 */

/** The stored description of one partition's partial of a window (no state). */
export interface PartialMeta {
  modelId: string;
  modelVersion: string;
  windowStartMs: number;
  windowEndMs: number;
  partition: number;
  through: number;
  profileId: string;
  events: number;
}

/** Which inputs a window was last closed with. */
export interface ClosedRecord {
  modelId: string;
  modelVersion: string;
  windowStartMs: number;
  fingerprint: string;
}

export interface WindowToClose {
  modelId: string;
  modelVersion: string;
  windowStartMs: number;
  windowEndMs: number;
  /** The partials to merge, in partition order (a fixed merge order keeps float sums reproducible). */
  partials: PartialMeta[];
  /** Partials on another profile than the window's (left out; their events are reported). */
  excluded: PartialMeta[];
  profileId: string;
  /** `partition:through,...`: equal fingerprints mean equal inputs, so equal results. */
  fingerprint: string;
  /** Grows whenever a partial advances: the version of the drift_metrics rows (ReplacingMergeTree). */
  inputVersion: number;
}

/** 32-bit FNV-1a of a string: a stable hash for ownership, the same in every instance and language. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The source partition whose owner closes a model's windows. The instance that holds that partition of the
 * inference topic closes the model, so closing spreads over instances by model and moves on rebalance.
 */
export function ownerPartition(modelId: string, partitions: number): number {
  return fnv1a(modelId) % partitions;
}

function group(partials: readonly PartialMeta[]): Map<string, PartialMeta[]> {
  const out = new Map<string, PartialMeta[]>();
  for (const p of partials) {
    const key = `${p.modelId}\u0000${p.modelVersion}\u0000${p.windowStartMs}`;
    const list = out.get(key);
    if (list) list.push(p);
    else out.set(key, [p]);
  }
  return out;
}

/** The profile most events of the window were counted on; ties go to the larger id (deterministic). */
function majorityProfile(partials: readonly PartialMeta[]): string {
  const events = new Map<string, number>();
  for (const p of partials) events.set(p.profileId, (events.get(p.profileId) ?? 0) + p.events);
  let best = '';
  let most = -1;
  for (const [id, n] of events) {
    if (n > most || (n === most && id > best)) [best, most] = [id, n];
  }
  return best;
}

/**
 * The windows to close now: final on their model's watermark (window-finality.ts), owned by this
 * instance, and either never closed or closed with other inputs (a partial advanced since: late data on a
 * partition that was idle, or a redelivery) — recomputation then replaces the rows.
 */
export function windowsToClose(args: {
  partials: readonly PartialMeta[];
  closed: readonly ClosedRecord[];
  watermarkOf: (modelId: string) => number;
  graceMs: number;
  owns: (modelId: string) => boolean;
}): WindowToClose[] {
  const last = new Map(
    args.closed.map((c) => [`${c.modelId}\u0000${c.modelVersion}\u0000${c.windowStartMs}`, c.fingerprint]),
  );
  const out: WindowToClose[] = [];
  for (const [key, list] of group(args.partials)) {
    const first = list[0] as PartialMeta;
    if (!isFinal(first.windowEndMs, args.graceMs, args.watermarkOf(first.modelId))) continue;
    if (!args.owns(first.modelId)) continue;
    const sorted = [...list].sort((a, b) => a.partition - b.partition);
    const fingerprint = sorted.map((p) => `${p.partition}:${p.through}`).join(',');
    if (last.get(key) === fingerprint) continue;
    const profileId = majorityProfile(sorted);
    out.push({
      modelId: first.modelId,
      modelVersion: first.modelVersion,
      windowStartMs: first.windowStartMs,
      windowEndMs: first.windowEndMs,
      partials: sorted.filter((p) => p.profileId === profileId),
      excluded: sorted.filter((p) => p.profileId !== profileId),
      profileId,
      fingerprint,
      inputVersion: sorted.reduce((s, p) => s + p.through + 1, 0),
    });
  }
  return out.sort((a, b) => a.windowStartMs - b.windowStartMs);
}

/**
 * Whether a model's stream time on one partition, moving from `before` to `after`, passed the closing point
 * (end + grace) of a window of `sizeMs` (epoch-aligned): only then can the model's watermark have made a window
 * final. Unknown before (a first batch after a start or a rebalance): no, the timer's pass covers it. Pure.
 */
export function passedAClosingPoint(
  before: number | undefined,
  after: number,
  sizeMs: number,
  graceMs: number,
): boolean {
  if (before === undefined || !Number.isFinite(before) || !Number.isFinite(after)) return false;
  const closingPointsBy = (t: number) => Math.floor((t - graceMs) / sizeMs);
  return closingPointsBy(after) > closingPointsBy(before);
}
