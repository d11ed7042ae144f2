import type { ProfileBootstrap } from './bootstrap.ts';
import { describe } from '../../core/src/errors.ts';
import type { Admin } from '../../core/src/kafka/client.ts';
import type { Logger } from '../../core/src/logger.ts';
import { WallClockPunctuator } from '../../core/src/windows/wall-clock-punctuator.ts';
import type { ModelMetrics } from '../../core/src/metrics/model-metrics.ts';
import type { TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import { readSourceLag } from '../../core/src/windows/source-lag.ts';
import { modelWatermark, type PartitionClock } from '../../core/src/windows/window-finality.ts';
import { ownerPartition, passedAClosingPoint, windowsToClose, type WindowToClose } from './closer.ts';
import type { DriftMetrics } from './metrics.ts';
import type { ProfileCache } from './profile-cache.ts';
import { windowRows, type ModelWatermarkRow } from './rows.ts';
import { DriftStore } from './store.ts';
import { evaluateWindow, type DriftTestConfig } from './window-evaluation.ts';
import { WindowPartial, type PartialStateJSON } from './window-partials.ts';

export interface CloseLoopDeps {
  store: DriftStore;
  profiles: ProfileCache;
  admin: Admin;
  groupId: string;
  topic: string;
  windows: TumblingWindows;
  tests: DriftTestConfig;
  lookbackWindows: number;
  /** A model without events for this long (wall clock) has its windows closed; 0: never. */
  idleMs: number;
  /** Raw values kept per window column (exact KS), as phase 1 keeps them. */
  exactValues?: number;
  metrics: DriftMetrics;
  /** Per-model drift share and drifted-feature count of the last closed window. */
  modelMetrics?: ModelMetrics;
  logger: Logger;
  /** Partitions of the inference topic assigned to this instance (changes on rebalance). */
  assigned: () => ReadonlySet<number>;
  /** Builds profiles of owned versions that have none (DRIFTLINE_DRIFT_BOOTSTRAP_EVENTS > 0). */
  bootstrap?: ProfileBootstrap;
  now?: () => number;
}

/**
 * Phase 2, on a wall-clock timer: computes the event-time watermark over all source partitions, then merges
 * the partials of every final window of the models this instance owns and writes its drift_metrics rows.
 */
export class CloseLoop {
  private readonly punctuator: WallClockPunctuator;
  /** The last stream time phase 1 wrote per model and partition, and whether one passed a closing point since. */
  private readonly written = new Map<string, number>();
  private passedClosingPoint = false;
  private pass: Promise<unknown> = Promise.resolve();
  private passQueued = false;
  private stopped = false;

  constructor(private readonly deps: CloseLoopDeps) {
    this.punctuator = new WallClockPunctuator({
      punctuate: () => this.serialPass(),
      logger: deps.logger,
      what: 'closing windows',
    });
  }

  start(intervalMs: number): void {
    this.punctuator.start(intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.punctuator.stop();
    await this.pass.catch(() => undefined);
  }

  /** Phase 1 wrote these model stream times (not committed yet): notes whether one passed a closing point. */
  noteStreamTimes(rows: readonly ModelWatermarkRow[]): void {
    const { sizeMs, graceMs } = this.deps.windows;
    for (const r of rows) {
      const key = `${r.model_id}\u0000${r.source_partition}`;
      if (passedAClosingPoint(this.written.get(key), r.stream_time_ms, sizeMs, graceMs))
        this.passedClosingPoint = true;
      this.written.set(key, r.stream_time_ms);
    }
  }

  /**
   * Phase 1 committed a batch. If a stream time written since the last pass passed a window's closing point, a
   * pass runs now rather than at the next tick of the timer: the window may be final (the committed offsets the
   * pass reads now include the batch), and its alert should not wait for the timer.
   */
  afterCommit(): void {
    if (!this.passedClosingPoint || this.stopped) return;
    this.passedClosingPoint = false;
    this.serialPass().catch((error: unknown) =>
      this.deps.logger.warn({ error: describe(error) }, 'closing windows failed; retrying'),
    );
  }

  /** One pass at a time: a pass asked for while one runs follows it, once. */
  private serialPass(): Promise<unknown> {
    if (this.passQueued) return this.pass;
    this.passQueued = true;
    this.pass = this.pass
      .catch(() => undefined)
      .then(() => {
        this.passQueued = false;
        return this.tick();
      });
    return this.pass;
  }

  /** One pass; returns the number of windows closed. */
  async tick(): Promise<number> {
    const { deps } = this;
    const assigned = deps.assigned();
    if (assigned.size === 0) return 0;
    const { partitions, watermarks, oldest } = await this.watermarks();
    const owns = (modelId: string) => assigned.has(ownerPartition(modelId, partitions));
    await deps.bootstrap?.run(owns);
    const finite = [...watermarks.values()].filter(Number.isFinite);
    if (finite.length > 0) deps.metrics.watermark.set(Math.max(...finite));
    if (!Number.isFinite(oldest)) return 0;
    const { sizeMs, graceMs } = deps.windows;
    const since = oldest - deps.lookbackWindows * sizeMs - graceMs;
    const [partials, closed] = await Promise.all([deps.store.partialsSince(since), deps.store.closes(since)]);
    const watermarkOf = (modelId: string) => watermarks.get(modelId) ?? -Infinity;
    const todo = windowsToClose({ partials, closed, watermarkOf, graceMs, owns });
    let done = 0;
    for (const w of todo) if (await this.close(w)) done += 1;
    return done;
  }

  /**
   * Each model's watermark (core window-finality.ts; closing is revisable: a window whose partial advances
   * later is closed again), and the oldest stream time the lookback starts from. Committed offsets are read
   * before the stream times, so a partition counted as caught up has its times stored.
   */
  private async watermarks(): Promise<{
    partitions: number;
    watermarks: Map<string, number>;
    oldest: number;
  }> {
    const { admin, groupId, topic, store, idleMs } = this.deps;
    const lag = await readSourceLag(admin, groupId, topic);
    const marks = await store.modelStreamTimes();
    const source = { ...lag, started: new Set(marks.map((m) => m.partition)) };
    const byModel = new Map<string, PartitionClock[]>();
    for (const m of marks) byModel.set(m.modelId, [...(byModel.get(m.modelId) ?? []), m]);
    const now = (this.deps.now ?? Date.now)();
    const watermarks = new Map<string, number>();
    let oldest = Infinity;
    // A model silent (wall clock) for longer than the idle time plus the lookback has had its windows closed:
    // it no longer drags the lookback of every pass back to its old event time.
    const forgotten = idleMs + this.deps.lookbackWindows * this.deps.windows.sizeMs;
    for (const [modelId, own] of byModel) {
      watermarks.set(modelId, modelWatermark(own, source, now, { closing: 'revisable', idleMs }));
      if (now - Math.max(...own.map((p) => p.writtenAtMs)) <= forgotten)
        oldest = Math.min(oldest, ...own.map((p) => p.timeMs));
    }
    return { partitions: lag.partitions, watermarks, oldest };
  }

  private async close(w: WindowToClose): Promise<boolean> {
    const { deps } = this;
    const profile = await deps.profiles.get(w.profileId);
    const states = await deps.store.partialStates(w.partials);
    if (!profile || states.size !== w.partials.length) {
      // A partial advanced since it was listed (or the profile is gone): the next pass sees the new inputs.
      deps.logger.debug(
        { model: w.modelId, window: w.windowStartMs },
        'window inputs changed; closing later',
      );
      return false;
    }
    const merged = new WindowPartial(profile, deps.exactValues);
    for (const p of w.partials) {
      const state = JSON.parse(states.get(p.partition) as string) as PartialStateJSON;
      merged.merge(WindowPartial.fromJSON(profile, state, deps.exactValues));
    }
    const evaluation = evaluateWindow(profile, merged, deps.tests);
    const now = (deps.now ?? Date.now)();
    const excluded = w.excluded.reduce((s, p) => s + p.events, 0);
    const rows = windowRows(
      w,
      profile,
      evaluation,
      { total: merged.events, excluded, mismatched: merged.mismatched },
      now,
    );
    await deps.store.writeClose(
      rows,
      { ...w, fingerprint: w.fingerprint, inputVersion: w.inputVersion },
      now,
    );
    deps.metrics.windowsClosed.inc({ model_id: w.modelId });
    const { share, driftedFeatures } = evaluation.dataset;
    deps.modelMetrics?.drift(w.modelId, w.modelVersion, share, driftedFeatures.length);
    deps.logger.info(
      {
        model: w.modelId,
        version: w.modelVersion,
        window: new Date(w.windowStartMs).toISOString(),
        events: merged.events,
        datasetDrift: evaluation.dataset.drifted,
        drifted: evaluation.dataset.driftedFeatures,
      },
      'window closed',
    );
    return true;
  }
}

/**
 * The drift store as phase 1 writes through it, telling the close loop which model stream times each batch
 * wrote (after they are stored), so a batch that made a window closable gets a pass right after its commit.
 */
export class StreamTimeReportingStore extends DriftStore {
  onStreamTimes: (rows: readonly ModelWatermarkRow[]) => void = () => undefined;

  override async writeBatch(batch: Parameters<DriftStore['writeBatch']>[0]): Promise<void> {
    await super.writeBatch(batch);
    this.onStreamTimes(batch.models);
  }
}
