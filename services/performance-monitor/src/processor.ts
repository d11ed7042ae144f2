import { ClassificationState, RegressionState } from '../../core/src/performance/index.ts';
import { UNNAMED_JOINER_TASK, type JoinerTask } from '../../core/src/serde/joiner-task-header.ts';
import { isLate } from '../../core/src/windows/window-finality.ts';
import type { JoinedPrediction } from '../../core/src/records/records.generated.ts';
import { Baseline } from './baseline.ts';
import { persistLabelsBaselines, takeLabelsSample } from './labels-baseline.ts';
import { ClassificationBucket } from './classification-bucket.ts';
import {
  emptyState,
  holdsState,
  mergeState,
  subtractState,
  type Kind,
  type KindState,
} from './kind-state.ts';
import { ModelState, type Series } from './model-state.ts';
import type { ProcessorOptions } from './options.ts';
import { recordKind, segmentsOf, type SkipReason } from './record-check.ts';
import { restoreEntry } from './restore.ts';
import { RollingSeries, type RollingSnapshot } from './rolling-series.ts';
import { emitRows, markWindow, rememberFigures, type EmitContext, type FlushResult } from './emit.ts';
import { WindowStateStore, type ChangelogEntry } from './window-state-store.ts';
import { closeWindows } from './close-windows.ts';

export type { FlushResult } from './emit.ts';

export interface ProcessResult {
  /** `corrected`: a correction whose earlier pair was replaced by the new one. */
  outcome: 'accepted' | 'corrected' | SkipReason;
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
  /** Series whose labels-mode baseline took samples since the last flush. */
  private readonly baselineDirty = new Set<Series>();

  constructor(readonly options: ProcessorOptions) {}

  /**
   * Adds one labeled prediction to its windows, bucket and rolling window, or says why not. A correction
   * (`r.correction`, from the joiner's `last` duplicate policy) needs the label it replaces,
   * `previousLabel` (the joiner's PREVIOUS_LABEL_HEADER): its earlier pair is taken out of the windows,
   * bucket and segments it went into and the new pair added, as if the first label had been the corrected
   * one. Without it the correction is skipped (`correction`). A correction beyond the allowed lateness is
   * `late`, like any late record. If the earlier pair was never counted (rejected, or a version this
   * processor never saw), the new pair is simply added. `from` is the label joiner's partition task that
   * joined the pair (its JOINER_TASK_HEADER): the model's stream time waits for the slowest task.
   */
  process(
    r: JoinedPrediction,
    previousLabel?: string | number,
    from: JoinerTask = UNNAMED_JOINER_TASK,
  ): ProcessResult {
    if (r.correction && previousLabel === undefined) return { outcome: 'correction' };
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
    // The earlier pair, when it was counted: a valid record of this version's kind.
    const earlier =
      r.correction && known && previousLabel !== undefined ? { ...r, label: previousLabel } : undefined;
    const replaced = earlier && recordKind(earlier) === kind ? earlier : undefined;
    const ts = r.predicted_at;
    const late = isLate(ts, this.options.allowedLatenessMs, model.streamTime);
    model.observe(from, ts);
    const bucketStart = floorTo(ts, this.options.bucketMs);
    for (const segment of segmentsOf(r.tags, this.options.segmentTags)) {
      const series = model.seriesFor(r.model_version, segment, kind);
      if (this.options.rollingSize > 0) {
        if (replaced) this.correctRolling(series, replaced, r, kind);
        else this.roll(series, r, kind);
      }
      if (late) continue;
      if (replaced) series.retract(bucketStart, addSample(emptyState(kind), replaced));
      else if (takeLabelsSample(this.options.baseline, series, () => addSample(emptyState(kind), r), ts))
        this.baselineDirty.add(series);
      addSample(series.delta(bucketStart), r);
      this.deltaSeries.add(series);
    }
    if (late) return { outcome: 'late' };
    return { outcome: r.correction ? 'corrected' : 'accepted' };
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
      previousFigures: new Map(),
      unmatchedCorrections: 0,
    };
    this.applyDeltas(ctx);
    persistLabelsBaselines(ctx, this.baselineDirty);
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
    if (!model) this.models.set(id, (model = new ModelState(id, this.options.maxJoinerSkewMs)));
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

  /**
   * A correction in the rolling window over the last N labeled predictions: the earlier pair's label is
   * replaced in place while it is still held; once evicted the correction is ignored there (emissions made
   * before keep their figures, and a correction is no new labeled prediction, so it triggers none).
   */
  private correctRolling(series: Series, earlier: JoinedPrediction, r: JoinedPrediction, kind: Kind): void {
    const rolling = series.rolling;
    if (!rolling) return;
    const changed =
      kind === 'classification'
        ? rolling.correctClass(
            r.predicted_at,
            earlier.label as string,
            r.predicted_label ?? '',
            r.label as string,
          )
        : rolling.correctValue(
            r.predicted_at,
            earlier.label as number,
            r.predicted_value ?? 0,
            r.label as number,
          );
    if (changed) this.rollingDirty.add(series);
  }

  /**
   * One merge per (series, bucket) and window size per batch, instead of one update per record and size;
   * then the earlier pairs of this batch's corrections are taken out, one by one.
   */
  private applyDeltas(ctx: EmitContext): void {
    const { windows } = this.options;
    for (const series of this.deltaSeries) {
      // Before anything changes: the figures the corrected windows showed, to rewrite those that vanish.
      for (const start of series.retractions.keys()) {
        for (const size of windows) rememberFigures(ctx, series, size.ms, floorTo(start, size.ms));
      }
      for (const [start, delta] of series.deltas) this.applyDelta(ctx, series, start, delta);
      for (const [start, pairs] of series.retractions) {
        for (const pair of pairs) this.retractPair(ctx, series, start, pair);
      }
      series.deltas.clear();
      series.retractions.clear();
    }
    this.deltaSeries.clear();
  }

  private applyDelta(ctx: EmitContext, series: Series, start: number, delta: KindState): void {
    const { windows, baseline } = this.options;
    const bucket = series.bucket(start);
    if (bucket instanceof ClassificationBucket) bucket.add(delta as ClassificationState);
    else bucket.merge(delta as RegressionState);
    markBucket(ctx, series, start);
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

  /**
   * Takes a correction's earlier pair out of its bucket, windows and period baseline. All of them hold it
   * (the deltas went in first, and a non-late record's windows and bucket are still open), unless the
   * earlier pair never went in (e.g. an earlier correction was skipped): then nothing changes and it is
   * counted, the new pair staying added.
   */
  private retractPair(ctx: EmitContext, series: Series, start: number, pair: KindState): void {
    const { windows, baseline } = this.options;
    const bucket = series.buckets.get(start);
    const entries = windows.map((size) => series.windows.get(size.ms)?.get(floorTo(start, size.ms)));
    const held =
      bucket !== undefined &&
      (bucket instanceof ClassificationBucket
        ? bucket.holds(pair as ClassificationState)
        : holdsState(bucket, pair)) &&
      entries.every((e) => e !== undefined && holdsState(e.state, pair));
    if (!held) {
      if (series.segment === '') ctx.unmatchedCorrections += 1;
      return;
    }
    if (bucket instanceof ClassificationBucket) bucket.subtract(pair as ClassificationState);
    else subtractState(bucket, pair);
    markBucket(ctx, series, start);
    windows.forEach((size, i) => {
      subtractState(entries[i]!.state, pair);
      markWindow(ctx, series, size, floorTo(start, size.ms));
    });
    const period = series.baselines.get('period');
    if (baseline.mode === 'period' && start >= baseline.fromMs && start < baseline.toMs && period) {
      if (!period.complete && period.subtract(pair)) putPeriodBaseline(ctx, series, period);
    }
  }
}

function markBucket(ctx: EmitContext, series: Series, start: number): void {
  ctx.dirtyBuckets.set(`${series.model}\u0000${series.version}\u0000${series.segment}\u0000${start}`, {
    series,
    start,
  });
}

function addSample(state: KindState, r: JoinedPrediction): KindState {
  if (state instanceof ClassificationState) {
    state.update(r.label as string, r.predicted_label ?? '', r.scores ?? undefined);
  } else {
    state.update(r.label as number, r.predicted_value ?? 0);
  }
  return state;
}

function addToPeriodBaseline(ctx: EmitContext, series: Series, delta: KindState): void {
  let baseline = series.baselines.get('period');
  if (!baseline) series.baselines.set('period', (baseline = new Baseline(series.kind)));
  if (baseline.complete) return;
  baseline.add(delta, false);
  putPeriodBaseline(ctx, series, baseline);
}

function putPeriodBaseline(ctx: EmitContext, series: Series, b: Baseline): void {
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
