import { figureSampling } from '../../core/src/performance/index.ts';
import { LABELS_SCOPE, type BaselineView } from './baseline.ts';
import { comparisonRow, versionPairs, type ComparisonRow } from './comparisons.ts';
import { stateMetrics, stateToJSON } from './kind-state.ts';
import type { ModelState, Series, WindowEntry } from './model-state.ts';
import type { ProcessorOptions, WindowSize } from './options.ts';
import type { RollingSnapshot } from './rolling-series.ts';
import { bucketRow, metricRows, type BucketRow, type MetricRow, type WindowIdentity } from './rows.ts';
import type { ChangelogEntry, WindowStateStore } from './window-state-store.ts';
import { ClassificationBucket } from './classification-bucket.ts';

export interface DirtyWindow {
  series: Series;
  size: WindowSize;
  start: number;
}

export interface BucketRef {
  series: Series;
  start: number;
}

/** What one flush changed, gathered before any row is built. */
export interface EmitContext {
  options: ProcessorOptions;
  store: WindowStateStore;
  models: ReadonlyMap<string, ModelState>;
  dirtyWindows: Map<string, DirtyWindow>;
  dirtyBuckets: Map<string, BucketRef>;
  evictedBuckets: BucketRef[];
  /**
   * Figures a window had at its last emission, for the windows a correction changes (by window id): a
   * figure among them that the window no longer has is written once more as NaN.
   */
  previousFigures: Map<string, ReadonlySet<string>>;
  /** Corrections whose earlier pair was not held (counted once, on the all-traffic segment). */
  unmatchedCorrections: number;
}

/** Everything one flush produced: rows for ClickHouse, entries for the changelog. */
export interface FlushResult {
  metricRows: MetricRow[];
  bucketRows: BucketRow[];
  comparisonRows: ComparisonRow[];
  changelog: ChangelogEntry[];
  windowsEmitted: number;
  windowsFinal: number;
  /** Corrections applied as a plain addition, because their earlier pair was not held. */
  unmatchedCorrections: number;
}

function windowId(series: Series, sizeMs: number, start: number): string {
  return `${series.model}\u0000${series.version}\u0000${series.segment}\u0000${sizeMs}\u0000${start}`;
}

/** Queues a window for emission (rows, comparisons, changelog) at this flush. */
export function markWindow(ctx: EmitContext, series: Series, size: WindowSize, start: number): void {
  const id = windowId(series, size.ms, start);
  if (!ctx.dirtyWindows.has(id)) ctx.dirtyWindows.set(id, { series, size, start });
}

/**
 * Notes the figures of a window as last emitted, before a correction changes it in this flush; call before
 * the flush merges anything into it (its state is then the one of its last emission).
 */
export function rememberFigures(ctx: EmitContext, series: Series, sizeMs: number, start: number): void {
  const id = windowId(series, sizeMs, start);
  const entry = series.windows.get(sizeMs)?.get(start);
  if (!entry || ctx.previousFigures.has(id)) return;
  ctx.previousFigures.set(id, new Set(stateMetrics(entry.state).map((m) => m.metric)));
}

/**
 * The baseline figures that apply to a window, once complete. Windows that form the baseline (the first N,
 * or those ending inside the reference period) show none: a window is not measured against itself, and
 * whether such a window's last row was written before or after the baseline completed would otherwise depend
 * on how records were cut into batches. In labels mode, the windows overlapping the event-time span of the
 * baseline's samples show none.
 */
export function baselineFigures(
  options: ProcessorOptions,
  series: Series,
  d: DirtyWindow,
  entry: WindowEntry,
): BaselineView | undefined {
  const b = options.baseline;
  if (b.mode === 'off' || entry.inBaseline) return undefined;
  if (b.mode === 'labels') {
    const base = series.baselines.get(LABELS_SCOPE);
    if (!base?.complete || base.fromMs === null || base.toMs === null) return undefined;
    return d.start <= base.toMs && d.start + d.size.ms > base.fromMs ? undefined : base.figures();
  }
  if (b.mode === 'period')
    return d.start + d.size.ms <= b.toMs ? undefined : series.baselines.get('period')?.figures();
  return series.baselines.get(d.size.name)?.figures();
}

function identity(d: DirtyWindow, final: boolean): WindowIdentity {
  const { series, size, start } = d;
  return {
    modelId: series.model,
    version: series.version,
    segment: series.segment,
    windowSize: size.name,
    windowId: start,
    startMs: start,
    endMs: start + size.ms,
    final,
  };
}

/** Builds the rows of a flush, then writes the changed state to the store and evicts what is final. */
export function emitRows(
  ctx: EmitContext,
  rolling: readonly { series: Series; snapshot: RollingSnapshot }[],
  revision: number,
): FlushResult {
  const result: FlushResult = {
    metricRows: [],
    bucketRows: [],
    comparisonRows: [],
    changelog: [],
    windowsEmitted: 0,
    windowsFinal: 0,
    unmatchedCorrections: ctx.unmatchedCorrections,
  };
  for (const [id, d] of ctx.dirtyWindows) {
    const entry = d.series.windows.get(d.size.ms)?.get(d.start);
    if (!entry) continue;
    const figures = stateMetrics(entry.state);
    const previous = ctx.previousFigures.get(id);
    const now = previous && new Set(figures.map((m) => m.metric));
    const gone = previous ? [...previous].filter((metric) => !now?.has(metric)) : [];
    const rows = metricRows(
      identity(d, entry.final),
      figures,
      { count: entry.state.count, sampling: figureSampling(entry.state) },
      baselineFigures(ctx.options, d.series, d, entry),
      revision,
      gone,
    );
    for (const row of rows) result.metricRows.push(row);
    result.windowsEmitted += 1;
    if (entry.final) result.windowsFinal += 1;
  }
  // Comparisons read both arms' windows, so they run before final windows are evicted.
  result.comparisonRows = comparisons(ctx, revision);
  persistWindows(ctx);
  result.bucketRows = buckets(ctx, revision);
  for (const { series, snapshot } of rolling) {
    const id: WindowIdentity = {
      modelId: series.model,
      version: series.version,
      segment: series.segment,
      windowSize: `last_${ctx.options.rollingSize}`,
      windowId: snapshot.seq,
      startMs: snapshot.fromMs,
      endMs: snapshot.toMs,
      // A rolling emission never changes once made.
      final: true,
    };
    for (const row of metricRows(id, snapshot.metrics, { count: snapshot.count }, undefined, revision)) {
      result.metricRows.push(row);
    }
  }
  return result;
}

function comparisons(ctx: EmitContext, revision: number): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const done = new Set<string>();
  const options = ctx.options;
  // A model's pairs are the same for all its dirty windows of the batch: ordered once per model.
  const pairsByModel = new Map<string, [string, string][]>();
  for (const d of ctx.dirtyWindows.values()) {
    const model = ctx.models.get(d.series.model);
    if (!model) continue;
    let pairs = pairsByModel.get(model.id);
    if (!pairs) {
      pairs = versionPairs(
        options.comparisons,
        model.id,
        model.versions.map((v) => v.version),
      );
      pairsByModel.set(model.id, pairs);
    }
    for (const [a, b] of pairs) {
      if (d.series.version !== a && d.series.version !== b) continue;
      const key = `${model.id}\u0000${a}\u0000${b}\u0000${d.series.segment}\u0000${d.size.ms}\u0000${d.start}`;
      if (done.has(key)) continue;
      done.add(key);
      const arm = (version: string) => {
        const entry = model.series
          .get(`${version}\u0000${d.series.segment}`)
          ?.windows.get(d.size.ms)
          ?.get(d.start);
        return (
          entry && { version, arm: model.version(version)?.arm ?? '', state: entry.state, final: entry.final }
        );
      };
      const base = arm(a);
      const cand = arm(b);
      if (base && cand) rows.push(comparisonRow(identity(d, false), base, cand, options, revision));
    }
  }
  return rows;
}

function persistWindows(ctx: EmitContext): void {
  for (const { series, size, start } of ctx.dirtyWindows.values()) {
    const windows = series.windows.get(size.ms);
    const entry = windows?.get(start);
    if (!windows || !entry) continue;
    const key = {
      type: 'window',
      model: series.model,
      version: series.version,
      segment: series.segment,
      sizeMs: size.ms,
      start,
    } as const;
    if (entry.final) {
      windows.delete(start);
      ctx.store.remove(key);
    } else {
      ctx.store.put(key, () => stateToJSON(entry.state));
    }
  }
}

function buckets(ctx: EmitContext, revision: number): BucketRow[] {
  const rows: BucketRow[] = [];
  const keyOf = ({ series, start }: BucketRef) =>
    ({
      type: 'bucket',
      model: series.model,
      version: series.version,
      segment: series.segment,
      start,
    }) as const;
  for (const ref of ctx.dirtyBuckets.values()) {
    const bucket = ref.series.buckets.get(ref.start);
    if (!bucket) continue;
    const { series, start } = ref;
    const id = { modelId: series.model, version: series.version, segment: series.segment, startMs: start };
    rows.push(bucketRow({ ...id, sizeMs: ctx.options.bucketMs }, bucket, revision));
    ctx.store.put(keyOf(ref), () =>
      bucket instanceof ClassificationBucket
        ? { kind: 'classification', bucket: bucket.toJSON() }
        : { kind: 'regression', bucket: bucket.toJSON() },
    );
  }
  for (const ref of ctx.evictedBuckets) {
    ref.series.buckets.delete(ref.start);
    ctx.store.remove(keyOf(ref));
  }
  return rows;
}
