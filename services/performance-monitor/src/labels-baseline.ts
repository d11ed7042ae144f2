import { Baseline, LABELS_SCOPE, labelsSource } from './baseline.ts';
import { markAll } from './close-windows.ts';
import type { EmitContext } from './emit.ts';
import type { KindState } from './kind-state.ts';
import type { Series } from './model-state.ts';
import type { BaselineMode } from './settings-parse.ts';

/**
 * Labels mode: a version's first N labeled predictions (in source order, so a replay takes the same ones)
 * form its baseline, per segment. Corrections leave it alone: it is a reference, fixed once complete.
 * @param sample - builds the one-sample state (only called when the sample is taken)
 * @returns whether the baseline took the sample
 */
export function takeLabelsSample(
  mode: BaselineMode,
  series: Series,
  sample: () => KindState,
  predictedAtMs: number,
): boolean {
  if (mode.mode !== 'labels') return false;
  let baseline = series.baselines.get(LABELS_SCOPE);
  if (!baseline) series.baselines.set(LABELS_SCOPE, (baseline = new Baseline(series.kind)));
  if (baseline.complete) return false;
  baseline.addSample(sample(), predictedAtMs);
  if (baseline.count >= mode.count) baseline.finish(labelsSource(baseline));
  return true;
}

/** Writes the labels-mode baselines that changed; one that completed gives every open window its figures. */
export function persistLabelsBaselines(ctx: EmitContext, dirty: Set<Series>): void {
  for (const series of dirty) {
    const baseline = series.baselines.get(LABELS_SCOPE);
    if (!baseline) continue;
    const { model, version, segment } = series;
    ctx.store.put({ type: 'baseline', model, version, segment, scope: LABELS_SCOPE }, () =>
      baseline.toJSON(),
    );
    if (baseline.complete) for (const size of ctx.options.windows) markAll(ctx, series, size);
  }
  dirty.clear();
}
