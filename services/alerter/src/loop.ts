import { crashPoint } from '../../core/src/crash-point.ts';
import { describe, isRetriable } from '../../core/src/errors.ts';
import { isFencedError } from '../../core/src/kafka/fenced-producer.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { AlerterMetrics } from './metrics.ts';
import { evaluate } from './evaluate.ts';
import { readWindows } from './inputs.ts';
import type { InputDeps } from './input-deps.ts';
import { publish, writeRows, type OutputDeps } from './outputs.ts';
import { rulesFor, type Rules } from './rules/load.ts';
import type { ReadBound } from './read-bound.ts';
import { DEFAULT_STALE_AFTER_MS, expireStale, type Source } from './stale.ts';
import { newModelState, type ModelState } from './state.ts';
import { windowOrder, type ResultWindow } from './window.ts';
import type { WriteMarks } from './write-marks.ts';

/** Cursors further behind the newest than this are left out of the read's lower bound (retired models). */
const LOOKBACK_MS = 7 * 86_400_000;

export interface LoopDeps {
  inputs: InputDeps;
  outputs: OutputDeps;
  rules: Rules;
  states: Map<string, ModelState>;
  /** States whose outbox rows are not in ClickHouse yet (the insert failed after the commit). */
  unwritten?: ModelState[];
  metrics: AlerterMetrics;
  logger: Logger;
  now?: () => number;
  /** A series silent this long (event time) while its model moves on resolves its alerts (stale.ts); 0: never. */
  staleAfterMs?: number;
}

/**
 * The lower bounds of the next read for one source: the oldest live cursor for the series evaluated before, and
 * the look-back for series never seen (a new model or version whose first windows close behind the others', e.g.
 * because its labels arrive later). 0 before the first window.
 */
export function since(states: Iterable<ModelState>, source: Source): ReadBound {
  const ends: number[] = [];
  const known: [string, string][] = [];
  for (const s of states) {
    for (const [key, end] of Object.entries(s.cursors)) {
      if (!key.endsWith(`|${source}`)) continue;
      ends.push(end);
      known.push([s.modelId, key.slice(0, -`|${source}`.length)]);
    }
  }
  if (ends.length === 0) return { sinceMs: 0, newSeriesSinceMs: 0, known };
  const newest = Math.max(...ends);
  const newSeriesSinceMs = newest - LOOKBACK_MS;
  return { sinceMs: Math.min(...ends.filter((e) => e >= newSeriesSinceMs)), newSeriesSinceMs, known };
}

/** Evaluates the windows in order per model; returns the changed states, each with this round's outbox. */
export function evaluateAll(d: LoopDeps, windows: ResultWindow[]): ModelState[] {
  const now = (d.now ?? Date.now)();
  const changed = new Map<string, ModelState>();
  for (const w of [...windows].sort(windowOrder)) {
    const before = changed.get(w.modelId) ?? {
      ...(d.states.get(w.modelId) ?? newModelState(w.modelId)),
      outbox: { alerts: [], triggers: [] },
    };
    const e = evaluate(before, w, rulesFor(d.rules, w.modelId), now);
    if (!e.evaluated) continue;
    d.metrics.windows.inc({ source: w.source });
    if (e.decision.action === 'held_back')
      d.metrics.heldBack.inc({ model_id: w.modelId, why: e.decision.why });
    // The window moved the model's clock: alerts of versions left behind by more than the span resolve.
    const expired = expireStale(e.state, w.source, d.staleAfterMs ?? DEFAULT_STALE_AFTER_MS, now);
    changed.set(w.modelId, {
      ...expired.state,
      outbox: {
        alerts: [...before.outbox.alerts, ...e.alerts, ...expired.alerts],
        triggers: [...before.outbox.triggers, ...e.triggers],
      },
    });
  }
  return [...changed.values()];
}

/**
 * One round: read, evaluate, publish in one transaction, then adopt the states and write the rows. Rows a
 * failed insert left behind go first: the next commit replaces the outbox in the changelog, so they must be
 * in ClickHouse before it.
 */
export async function runOnce(d: LoopDeps): Promise<number> {
  if (d.unwritten && d.unwritten.length > 0) {
    await writeRows(d.outputs, d.unwritten);
    d.unwritten = [];
  }
  const windows = await readWindows(d.inputs, {
    performance: since(d.states.values(), 'performance'),
    drift: since(d.states.values(), 'drift'),
    agreement: since(d.states.values(), 'agreement'),
  });
  const changed = evaluateAll(d, windows);
  if (changed.length === 0) return 0;
  await publish(d.outputs, changed);
  for (const s of changed) d.states.set(s.modelId, s);
  d.unwritten = changed;
  crashPoint('after-commit-before-rows');
  await writeRows(d.outputs, changed);
  d.unwritten = [];
  for (const s of changed) {
    for (const a of s.outbox.alerts) {
      d.metrics.alerts.inc({ kind: a.kind, status: a.status, severity: a.severity });
      d.logger.info({ alert: a.alert_id, model: a.model_id, kind: a.kind, status: a.status }, a.message);
    }
    for (const t of s.outbox.triggers) {
      d.metrics.triggers.inc({ model_id: t.model_id });
      d.logger.info({ trigger: t.trigger_id, model: t.model_id, reasons: t.reasons }, 'retrain triggered');
    }
    d.metrics.heldBackTotal.set({ model_id: s.modelId }, s.policy.heldBack);
  }
  return changed.length;
}

/**
 * Between rounds, what tells the loop that a closed window was written since the last round began, and whether
 * anything was written at all (write-marks.ts), read every `everyMs`.
 */
export interface WindowsMark {
  read: () => Promise<WriteMarks>;
  everyMs: number;
}

/**
 * Runs rounds until stopped: every `pollMs` (wall clock), and sooner when the closed-windows mark changed since
 * the last round began (a drift or estimate window closed), so an alert follows its window by about the mark's
 * interval rather than the poll's, while a quiet look costs one query on the part list instead of every window
 * query. A poll's round is skipped while no table was written since the last round that succeeded began (it
 * would read the same rows): an idle alerter reads only the part list. A retriable failure (a server away, an
 * aborted transaction) keeps the previous states and tries again next round; anything else stops the process. A
 * mark that cannot be read just leaves the rounds to the timer.
 */
export function startLoop(
  d: LoopDeps,
  pollMs: number,
  onFatal: (e: unknown) => void,
  mark?: WindowsMark,
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let seen: WriteMarks | undefined;
  /** The any-table mark read as the last round that succeeded began; undefined after a failed round. */
  let quietAt: string | undefined;
  let roundAt = 0;
  const readMark = () => mark!.read().catch(() => undefined);
  /** `marks`: as just read by a look, else read here. */
  const round = (marks?: WriteMarks) => {
    roundAt = performance.now();
    running = (async () => {
      // Read before the round's own reads: a window written after them changes the mark, so it gets a round.
      if (mark) seen = marks ?? (await readMark());
      quietAt = undefined;
      await runOnce(d);
      quietAt = seen?.anyTable;
    })()
      .catch((error: unknown) => {
        // Fenced: another alerter with our transactional id took over; retrying cannot help, this one must stop.
        if (!isRetriable(error) || isFencedError(error)) return onFatal(error);
        d.logger.warn({ error: describe(error) }, 'alerter round failed; retrying next round');
      })
      .finally(() => {
        if (!stopped) wait();
      });
  };
  /** After a look at the marks: a round now, or another wait. */
  const decide = (now: WriteMarks | undefined) => {
    if (stopped) return;
    const pollDue = performance.now() - roundAt >= pollMs;
    if (now === undefined) return pollDue ? round() : wait();
    if (now.closedWindows !== seen?.closedWindows) return round(now);
    if (!pollDue) return wait();
    if (now.anyTable === quietAt && !d.unwritten?.length) {
      roundAt = performance.now(); // nothing new to read: the next poll is a poll interval away
      return wait();
    }
    round(now);
  };
  const wait = () => {
    const due = roundAt + pollMs - performance.now();
    if (!mark) {
      timer = setTimeout(() => round(), Math.max(0, due));
      return;
    }
    timer = setTimeout(
      () => {
        running = readMark().then(decide);
      },
      Math.max(0, Math.min(mark.everyMs, due)),
    );
  };
  round();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    // A look at the mark may have started a round meanwhile: wait for whatever runs last.
    let last: Promise<void>;
    do {
      last = running;
      await last;
    } while (last !== running);
  };
}
