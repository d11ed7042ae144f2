import { isFinal } from '../../core/src/windows/window-finality.ts';
import { Baseline, periodSource, windowsSource } from './baseline.ts';
import { markWindow, type EmitContext } from './emit.ts';
import type { ModelState, Series, WindowEntry } from './model-state.ts';
import type { WindowSize } from './options.ts';

/**
 * Closes what the model's stream time has passed: a window (or bucket) is final once no accepted record can
 * fall in it any more (core's isFinal with the allowed lateness as the grace; a model's records share one
 * partition, so its stream time is its watermark). Lateness is decided per record by core's isLate against
 * the same threshold, so a record is in all of its windows and its bucket, or in none: the bucket rollup
 * always equals the window rows.
 */
export function closeWindows(ctx: EmitContext, model: ModelState): void {
  const { options } = ctx;
  const final = (endMs: number) => isFinal(endMs, options.allowedLatenessMs, model.streamTime);
  for (const series of model.series.values()) {
    for (const size of options.windows) {
      const windows = series.windows.get(size.ms);
      if (!windows) continue;
      const closing = [...windows.entries()]
        .filter(([start, entry]) => !entry.final && final(start + size.ms))
        .sort((a, b) => a[0] - b[0]);
      for (const [start, entry] of closing) {
        entry.final = true;
        markWindow(ctx, series, size, start);
        if (options.baseline.mode === 'first')
          addToFirstBaseline(ctx, series, size, entry, options.baseline.windows);
      }
    }
    for (const start of series.buckets.keys()) {
      if (final(start + options.bucketMs)) ctx.evictedBuckets.push({ series, start });
    }
    const period = series.baselines.get('period');
    if (options.baseline.mode === 'period' && period && !period.complete && final(options.baseline.toMs)) {
      period.finish(periodSource(period, options.baseline.fromMs, options.baseline.toMs));
      putBaseline(ctx, series, 'period', period);
      for (const size of options.windows) markAll(ctx, series, size);
    }
  }
}

/** The first N final windows of a size, in start order, form that size's baseline. */
function addToFirstBaseline(
  ctx: EmitContext,
  series: Series,
  size: WindowSize,
  entry: WindowEntry,
  windows: number,
): void {
  let baseline = series.baselines.get(size.name);
  if (!baseline) series.baselines.set(size.name, (baseline = new Baseline(series.kind)));
  if (baseline.complete) return;
  baseline.add(entry.state, true);
  entry.inBaseline = true;
  if (baseline.windows >= windows) {
    baseline.finish(windowsSource(baseline, size.name));
    // Every open window of this size gets its baseline and delta now, not only at its next update.
    markAll(ctx, series, size);
  }
  putBaseline(ctx, series, size.name, baseline);
}

export function markAll(ctx: EmitContext, series: Series, size: WindowSize): void {
  for (const start of series.windows.get(size.ms)?.keys() ?? []) markWindow(ctx, series, size, start);
}

function putBaseline(ctx: EmitContext, series: Series, scope: string, baseline: Baseline): void {
  const key = {
    type: 'baseline',
    model: series.model,
    version: series.version,
    segment: series.segment,
    scope,
  } as const;
  ctx.store.put(key, () => baseline.toJSON());
}
