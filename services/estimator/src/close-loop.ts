import type { Logger } from '../../core/src/logger.ts';
import { WallClockPunctuator } from '../../core/src/windows/wall-clock-punctuator.ts';
import { EstimateDivergence } from '../../core/src/performance/estimate-divergence.ts';
import { estimateMetrics } from '../../core/src/performance/estimate-metrics.ts';
import { isFinal, modelWatermark, type SourceLag } from '../../core/src/windows/window-finality.ts';
import type { EstimatorMetrics } from './metrics.ts';
import { decodePartialState } from './partial-state-codec.ts';
import { windowKey } from './processor.ts';
import { estimateRows, realizedRow, type EstimateRow } from './rows.ts';
import type { EstimatorStore, PendingWindow } from './store.ts';

export interface CloseLoopDeps {
  store: EstimatorStore;
  windowSize: string;
  graceMs: number;
  /** A model without predictions for this long (wall clock) has its windows closed; 0: never. */
  idleMs: number;
  bandZ: number;
  divergenceWindows: number;
  referenceOf: (modelId: string, modelVersion: string) => { labeled: number; accuracy: number | null };
  /** Which partitions of the inference topic still have records to process (core source-lag.ts). */
  sourceLag: () => Promise<SourceLag>;
  /** Remembers an estimated window so the inference stage counts its stragglers as late. */
  markClosed: (key: string) => void;
  metrics: EstimatorMetrics;
  logger: Logger;
  now?: () => number;
}

/**
 * On a wall-clock timer: (1) estimates every window final on its model's watermark (core window-finality.ts),
 * merging the partial states of all source partitions; (2) writes revision 1 of every
 * estimate whose realized figure has become final, with the estimation error and the estimate-vs-realized
 * concept-drift signal.
 */
export class CloseLoop {
  private readonly punctuator: WallClockPunctuator;

  constructor(private readonly deps: CloseLoopDeps) {
    this.punctuator = new WallClockPunctuator({
      punctuate: () => this.tick(),
      logger: deps.logger,
      what: 'closing windows',
    });
  }

  start(intervalMs: number): void {
    this.punctuator.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.punctuator.stop();
  }

  async tick(): Promise<void> {
    await this.closeWindows();
    await this.compareRealized();
  }

  /**
   * Closing is `once`: an estimated window is never re-estimated and its stragglers count as late, so every
   * partition of the inference topic must have passed it, and a model is idle only with nothing of it left
   * to process (after an outage its backlog comes before its windows close). The lag is read before the
   * clocks, so a partition counted as caught up has its clocks stored.
   */
  private async closeWindows(): Promise<void> {
    const { store, windowSize, graceMs, idleMs } = this.deps;
    const pending = await store.pendingWindows(windowSize);
    if (pending.length === 0) return;
    const lag = await this.deps.sourceLag();
    const clocks = await store.modelClocks();
    const now = (this.deps.now ?? Date.now)();
    const started = new Set([...clocks.values()].flatMap((own) => own.map((c) => c.partition)));
    const source = { ...lag, started };
    const watermarks = new Map<string, number>();
    const watermarkOf = (modelId: string): number => {
      let mark = watermarks.get(modelId);
      if (mark === undefined) {
        mark = modelWatermark(clocks.get(modelId) ?? [], source, now, { closing: 'once', idleMs });
        watermarks.set(modelId, mark);
      }
      return mark;
    };
    for (const w of pending)
      if (isFinal(w.window_end_ms, graceMs, watermarkOf(w.model_id))) await this.estimate(w, now);
  }

  private async estimate(w: PendingWindow, now: number): Promise<void> {
    const { store, windowSize, bandZ } = this.deps;
    const partials = await store.partialsOf(w);
    if (partials.length === 0) return;
    const [first, ...rest] = partials.map((p) => decodePartialState(p.state));
    const state = rest.reduce((acc, s) => acc.merge(s), first!);
    const reference = this.deps.referenceOf(w.model_id, w.model_version);
    const window = {
      modelId: w.model_id,
      modelVersion: w.model_version,
      windowSize,
      startMs: w.window_start_ms,
      endMs: w.window_end_ms,
      sampleCount: state.count,
      calibrationCount: reference.labeled,
      referenceAccuracy: reference.accuracy,
    };
    await store.insert('performance_estimates', estimateRows(window, estimateMetrics(state), bandZ, now));
    this.deps.markClosed(windowKey(w.model_id, w.model_version, w.window_start_ms));
    this.deps.metrics.windows.inc({ kind: 'estimated' });
  }

  private async compareRealized(): Promise<void> {
    const { store, windowSize } = this.deps;
    const now = (this.deps.now ?? Date.now)();
    const pairs = await store.realizable(windowSize);
    const out: EstimateRow[] = [];
    for (const { estimate, realized } of pairs) {
      const conceptDrift =
        estimate.metric === 'accuracy' && (await this.diverged(estimate, realized.value, out));
      out.push(realizedRow(estimate, realized, conceptDrift, now));
    }
    await store.insert('performance_estimates', out);
    const windows = new Set(out.map((r) => windowKey(r.model_id, r.model_version, r.window_start_ms)));
    if (windows.size > 0) this.deps.metrics.windows.inc({ kind: 'realized' }, windows.size);
    for (const r of out)
      if (r.concept_drift === 1)
        this.deps.logger.warn(
          {
            model: r.model_id,
            version: r.model_version,
            window: r.window_start_ms,
            error: r.estimation_error,
          },
          'realized accuracy outside the estimate band: concept drift',
        );
  }

  /** The detector over the version's previous revised windows (stored, or revised in this pass) and this one. */
  private async diverged(
    estimate: EstimateRow,
    realized: number,
    revisedNow: EstimateRow[],
  ): Promise<boolean> {
    const n = this.deps.divergenceWindows;
    const stored = await this.deps.store.revisedAccuracy(
      estimate.model_id,
      estimate.model_version,
      this.deps.windowSize,
      estimate.window_start_ms,
      n - 1,
    );
    const fresh = revisedNow.filter(
      (r) =>
        r.metric === 'accuracy' &&
        r.model_id === estimate.model_id &&
        r.model_version === estimate.model_version &&
        r.window_start_ms < estimate.window_start_ms,
    );
    const history = [...stored, ...fresh]
      .sort((a, b) => a.window_start_ms - b.window_start_ms)
      .slice(-(n - 1));
    const detector = new EstimateDivergence({ z: this.deps.bandZ, windows: n });
    for (const h of history)
      detector.update({ estimate: h.estimate, stdError: h.std_error, realized: h.realized! });
    return detector.update({ estimate: estimate.estimate, stdError: estimate.std_error, realized })
      .driftDetected;
  }
}
