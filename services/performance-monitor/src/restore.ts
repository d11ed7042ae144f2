import { RegressionState } from '../../core/src/performance/index.ts';
import { Baseline, type BaselineJson } from './baseline.ts';
import { ClassificationBucket, type ClassificationBucketJson } from './classification-bucket.ts';
import { stateFromJSON, type Kind, type KindStateJson } from './kind-state.ts';
import type { ModelState, ModelStateJson, Series } from './model-state.ts';
import type { ProcessorOptions } from './options.ts';
import { RollingSeries, type RollingSeriesJson } from './rolling-series.ts';
import { decodeKey, type ChangelogEntry, type StoreKey } from './window-state-store.ts';

/** What a restore writes into: the processor's state, named here so that this file does not import it. */
export interface RestoreTarget {
  readonly options: ProcessorOptions;
  readonly models: Map<string, ModelState>;
  nextOffset: string | undefined;
  model(id: string): ModelState;
}

type BucketJson =
  { kind: 'classification'; bucket: ClassificationBucketJson } | { kind: 'regression'; bucket: unknown };

/**
 * Applies one changelog record to the processor. Records are applied in offset order, so the last value of
 * a key wins and a tombstone removes what an earlier record created (compaction may not have run yet).
 * @throws DriftlineError or InvalidStateJsonError (not retriable) on a record this code never wrote.
 */
export function restoreEntry(p: RestoreTarget, entry: ChangelogEntry): void {
  const key = decodeKey(entry.key);
  const json: unknown = entry.value === null ? null : JSON.parse(entry.value);
  if (key.type === 'checkpoint') {
    p.nextOffset = json === null ? undefined : (json as { nextOffset: string }).nextOffset;
    return;
  }
  if (key.type === 'model') {
    if (json === null) p.models.delete(key.model);
    else p.model(key.model).restore(json as ModelStateJson);
    return;
  }
  restoreSeriesItem(p, key, json);
}

type SeriesKey = Extract<StoreKey, { version: string }>;

/** A window, bucket, rolling window or baseline of one series. */
function restoreSeriesItem(p: RestoreTarget, key: SeriesKey, json: unknown): void {
  const model = p.model(key.model);
  const existing = model.series.get(`${key.version}\u0000${key.segment}`);
  const seriesOf = (kind: Kind): Series => existing ?? model.seriesFor(key.version, key.segment, kind);
  switch (key.type) {
    case 'window': {
      if (json === null) return void existing?.windows.get(key.sizeMs)?.delete(key.start);
      // A size no longer configured: nothing would ever close it, so it is not brought back.
      if (!p.options.windows.some((w) => w.ms === key.sizeMs)) return;
      const state = stateFromJSON(json as KindStateJson);
      seriesOf((json as KindStateJson).kind)
        .windowsOf(key.sizeMs)
        .set(key.start, { state, final: false });
      return;
    }
    case 'bucket': {
      if (json === null) return void existing?.buckets.delete(key.start);
      const b = json as BucketJson;
      const bucket =
        b.kind === 'classification'
          ? ClassificationBucket.fromJSON(b.bucket)
          : RegressionState.fromJSON(b.bucket);
      seriesOf(b.kind).buckets.set(key.start, bucket);
      return;
    }
    case 'rolling': {
      if (json === null) return void (existing && (existing.rolling = undefined));
      const r = json as RollingSeriesJson;
      // A changed N starts a new rolling window rather than mixing two sizes under one name.
      if (r.capacity !== p.options.rollingSize) return;
      seriesOf(r.kind).rolling = RollingSeries.fromJSON(r);
      return;
    }
    case 'baseline': {
      if (json === null) return void existing?.baselines.delete(key.scope);
      const b = json as BaselineJson;
      seriesOf(b.state.kind).baselines.set(key.scope, Baseline.fromJSON(b));
      return;
    }
  }
}
