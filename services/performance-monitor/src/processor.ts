import { ClassificationState, RegressionState } from '../../core/src/performance/index.ts';
import type { JoinedPrediction } from '../../core/src/records/records.generated.ts';
import { Baseline } from './baseline.ts';
import { ClassificationBucket } from './classification-bucket.ts';
import { mergeState, type Kind, type KindState } from './kind-state.ts';
import { ModelState, type Series } from './model-state.ts';
import type { ProcessorOptions } from './options.ts';
import { recordKind, segmentsOf, type SkipReason } from './record-check.ts';
import { restoreEntry } from './restore.ts';
import { RollingSeries, type RollingSnapshot } from './rolling-series.ts';
import { emitRows, markWindow, type EmitContext, type FlushResult } from './emit.ts';
import { WindowStateStore, type ChangelogEntry } from './window-state-store.ts';
import { closeWindows } from './close-windows.ts';

export type { FlushResult } from './emit.ts';

export interface ProcessResult {
  outcome: 'accepted' | SkipReason;
  /** Why an invalid record was rejected (for the dead-letter header). */
  detail?: string;
}

/** Start of the aligned interval of `size` holding `ts` (epoch-aligned, UTC). */
export function floorTo(ts: number, size: number): number {
  return ts - (((ts % size) + size) % size);
}

/**
 * The performance monitor's logic for one source partition, free of I/O: `process(record)` changes state,
 * `flush(revision)` turns the changes since the last flush into ClickHouse rows and changelog entries, and
 * `restore(entry)` rebuilds the state from the changelog. Deterministic: the same records in the same order
 * give the same figures however they are cut into batches (up to float rounding of merged sums).
 */
export class PerformanceProcessor {
  readonly models = new Map<string, ModelState>();
  readonly store = new WindowStateStore();
  /** The source offset the state has consumed up to: records below it were applied already. */
  nextOffset: string | undefined;
  private readonly deltaSeries = new Set<Series>();
  private readonly rollingDirty = new Set<Series>();
  private readonly touched = new Set<ModelState>();
  private readonly rollingRows: { series: Series; snapshot: RollingSnapshot }[] = [];

  constructor(readonly options: ProcessorOptions) {}

  /** Adds one labeled prediction to its windows, bucket and rolling window, or says why not. */
  process(r: JoinedPrediction): ProcessResult {
    if (r.correction) return { outcome: 'correction' };
    const kind = recordKind(r);
    if (typeof kind !== 'string') return { outcome: 'invalid', detail: kind.detail };
    const model = this.model(r.model_id);
    const known = model.version(r.model_version);
    if (known && known.kind !== kind) {
      return {
        outcome: 'invalid',
        detail: `version ${r.model_version} of model ${r.model_id} is a ${known.kind} model, this record is a ${kind} one`,
      };
    }
    if (!known)
      model.addVersion({ version: r.model_version, kind, arm: r.tags?.[this.options.armTag] ?? '' });
    this.touched.add(model);
    const ts = r.predicted_at;
    const late = ts < model.streamTime - this.options.allowedLatenessMs;
    if (ts > model.streamTime) model.streamTime = ts;
    const bucketStart = floorTo(ts, this.options.bucketMs);
    for (const segment of segmentsOf(r.tags, this.options.segmentTags)) {
      const series = model.seriesFor(r.model_version, segment, kind);
      if (this.options.rollingSize > 0) this.roll(series, r, kind);
      if (late) continue;
      addSample(series.delta(bucketStart), r);
      this.deltaSeries.add(series);
    }
    return { outcome: late ? 'late' : 'accepted' };
  }

  /**
   * Merges this batch's samples into buckets and windows, closes the windows the stream time passed, and
   * returns every row and changelog entry that changed, tagged with `revision` (the source offset reached).
   */
  flush(revision: number, nextOffset?: string): FlushResult {
    const ctx: EmitContext = {
      options: this.options,
      store: this.store,
      models: this.models,
      dirtyWindows: new Map(),
      dirtyBuckets: new Map(),
      evictedBuckets: [],
    };
    this.applyDeltas(ctx);
    for (const model of this.touched) closeWindows(ctx, model);
    const result = emitRows(ctx, this.rollingRows, revision);
    for (const model of this.touched)
      this.store.put({ type: 'model', model: model.id }, () => model.toJSON());
    for (const s of this.rollingDirty) {
      const key = { type: 'rolling', model: s.model, version: s.version, segment: s.segment } as const;
      this.store.put(key, () => s.rolling?.toJSON());
    }
    if (nextOffset !== undefined) {
      this.nextOffset = nextOffset;
      this.store.put({ type: 'checkpoint' }, () => ({ nextOffset }));
    }
    result.changelog = this.store.drain();
    this.touched.clear();
    this.rollingDirty.clear();
    this.rollingRows.length = 0;
    return result;
  }

  /** Applies one changelog record (in offset order) while restoring a partition. */
  restore(entry: ChangelogEntry): void {
    restoreEntry(this, entry);
  }

  model(id: string): ModelState {
    let model = this.models.get(id);
    if (!model) this.models.set(id, (model = new ModelState(id)));
    return model;
  }

  /** Open windows and buckets held, for gauges and the benchmark. */
  stats(): { models: number; series: number; windows: number; buckets: number } {
    let series = 0;
    let windows = 0;
    let buckets = 0;
    for (const m of this.models.values()) {
      for (const s of m.series.values()) {
        series += 1;
        buckets += s.buckets.size;
        for (const w of s.windows.values()) windows += w.size;
      }
    }
    return { models: this.models.size, series, windows, buckets };
  }

  private roll(series: Series, r: JoinedPrediction, kind: Kind): void {
    const rolling = (series.rolling ??= new RollingSeries(kind, this.options.rollingSize));
    if (kind === 'classification')
      rolling.addClass(r.label as string, r.predicted_label ?? '', r.predicted_at);
    else rolling.addValue(r.label as number, r.predicted_value ?? 0, r.predicted_at);
    this.rollingDirty.add(series);
    if (rolling.seq % this.options.rollingEvery === 0)
      this.rollingRows.push({ series, snapshot: rolling.snapshot() });
  }

  /** One merge per (series, bucket) and window size per batch, instead of one update per record and size. */
  private applyDeltas(ctx: EmitContext): void {
    const { windows, baseline } = this.options;
    for (const series of this.deltaSeries) {
      for (const [start, delta] of series.deltas) {
        const bucket = series.bucket(start);
        if (bucket instanceof ClassificationBucket) bucket.add(delta as ClassificationState);
        else bucket.merge(delta as RegressionState);
        ctx.dirtyBuckets.set(`${series.model}\u0000${series.version}\u0000${series.segment}\u0000${start}`, {
          series,
          start,
        });
        for (const size of windows) {
          const windowStart = floorTo(start, size.ms);
          const entry = series.window(size.ms, windowStart);
          mergeState(entry.state, delta);
          markWindow(ctx, series, size, windowStart);
        }
        if (baseline.mode === 'period' && start >= baseline.fromMs && start < baseline.toMs) {
          addToPeriodBaseline(ctx, series, delta);
        }
      }
      series.deltas.clear();
    }
    this.deltaSeries.clear();
  }
}

function addSample(state: KindState, r: JoinedPrediction): void {
  if (state instanceof ClassificationState) {
    state.update(r.label as string, r.predicted_label ?? '', r.scores ?? undefined);
  } else {
    state.update(r.label as number, r.predicted_value ?? 0);
  }
}

function addToPeriodBaseline(ctx: EmitContext, series: Series, delta: KindState): void {
  let baseline = series.baselines.get('period');
  if (!baseline) series.baselines.set('period', (baseline = new Baseline(series.kind)));
  if (baseline.complete) return;
  baseline.add(delta, false);
  const b = baseline;
  ctx.store.put(
    {
      type: 'baseline',
      model: series.model,
      version: series.version,
      segment: series.segment,
      scope: 'period',
    },
    () => b.toJSON(),
  );
}
