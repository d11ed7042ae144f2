import type { PartitionBatch } from '../../core/src/kafka/committing-consumer.ts';
import { decodeOrSkip } from '../../core/src/kafka/decode-or-skip.ts';
import { PartitionStates } from '../../core/src/kafka/partition-states.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { ModelMetrics } from '../../core/src/metrics/model-metrics.ts';
import type { InferenceEvent } from '../../core/src/records/records.generated.ts';
import type { TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import { DriftStateError } from './errors.ts';
import type { DriftMetrics } from './metrics.ts';
import { observeInferences } from './model-observations.ts';
import {
  PartitionProcessor,
  windowKey,
  type DecodedMessage,
  type OpenWindow,
  type ProcessorOptions,
} from './processor.ts';
import type { ProfileCache } from './profile-cache.ts';
import { modelWatermarkRows, partialRow, watermarkRow, windowIdsRows, type PartialRow } from './rows.ts';
import type { DriftStore } from './store.ts';
import { WindowPartial, type PartialStateJSON } from './window-partials.ts';

export interface InferenceStageDeps {
  store: DriftStore;
  profiles: ProfileCache;
  windows: TumblingWindows;
  decode: (value: Buffer | null) => Promise<InferenceEvent>;
  metrics: DriftMetrics;
  /** Per-model confidence and latency histograms. */
  modelMetrics?: ModelMetrics;
  logger: Logger;
  topic: string;
  /** Raw values kept per window column (exact KS) and ids remembered per partition (de-duplication). */
  processor?: ProcessorOptions;
  /** Told about model versions without a profile (to bootstrap one). */
  onUnprofiled?: (versions: Iterable<{ modelId: string; modelVersion: string }>) => void;
  now?: () => number;
}

/**
 * Phase 1 wired to storage: per source partition a processor, restored from ClickHouse on first use after an
 * assignment; after the batches of a fetch (one per partition) the full partial state of every touched window,
 * then the partitions' stream times, are written, one insert per table for all of them, before the consumer
 * commits their offsets. One insert per fetch rather than per partition: a fetch of six partitions made 24
 * small inserts (each a ClickHouse part to write and merge) at moderate rates.
 */
export class InferenceStage {
  private readonly processors = new PartitionStates((partition) => this.restore(partition));

  constructor(private readonly deps: InferenceStageDeps) {}

  /** After any rebalance: state in memory may be stale (another member may have advanced it), reload it. */
  onAssignment(): void {
    this.processors.clear();
  }

  /** The batches of one fetch, of different partitions (runCommittingConsumer's handleMany). */
  handleMany = async (batches: readonly PartitionBatch[]): Promise<void> => {
    const { deps } = this;
    const now = (deps.now ?? Date.now)();
    const rows: Parameters<DriftStore['writeBatch']>[0] = {
      ids: [],
      partials: [],
      models: [],
      watermarks: [],
    };
    const afterWrite: (() => void)[] = [];
    for (const { partition, messages } of batches) {
      const processor = await this.processors.get(partition);
      // Only a bad value is skipped; a registry outage throws and the batches are retried whole.
      const decoded = await decodeOrSkip(messages, deps.decode);
      await deps.profiles.prepare(versionsOf(decoded));
      const out = processor.process(decoded, deps.profiles.lookup);
      appendAll(rows.ids, windowIdsRows(out.touched, partition, now));
      for (const w of out.touched) rows.partials.push(partialRow(w, partition, now));
      appendAll(rows.models, modelWatermarkRows(out.modelTimes, partition, out.lastOffset, now));
      // The partition-wide stream time (largest of any model) is kept for operators; closing uses the models'.
      if (Number.isFinite(out.streamTime))
        rows.watermarks.push(watermarkRow(partition, out.streamTime, out.lastOffset, now));
      afterWrite.push(() => {
        processor.evictClosed();
        this.count(out, partition, processor);
        if (deps.modelMetrics) observeInferences(deps.modelMetrics, decoded);
        if (out.unprofiled.size > 0) deps.onUnprofiled?.(out.unprofiled.values());
      });
    }
    await deps.store.writeBatch(rows);
    for (const f of afterWrite) f();
  };

  private async restore(partition: number): Promise<PartitionProcessor> {
    const { store, windows } = this.deps;
    const { modelTimes, rows, ids } = await store.partitionState(partition, windows.graceMs);
    const open = await Promise.all(rows.map((r) => this.openWindow(r, ids)));
    const processor = new PartitionProcessor(partition, windows, { modelTimes, open }, this.deps.processor);
    this.deps.logger.info(
      { partition, models: modelTimes.size, openWindows: open.length },
      'partition state restored',
    );
    return processor;
  }

  private async openWindow(row: PartialRow, ids: Map<string, Set<string>>): Promise<OpenWindow> {
    const profile = await this.deps.profiles.get(row.profile_id);
    // Without its profile a stored partial cannot be continued, and starting it afresh would lose events.
    if (!profile)
      throw new DriftStateError(
        `profile ${row.profile_id} of a stored partial is gone from reference_profiles`,
      );
    return {
      modelId: row.model_id,
      modelVersion: row.model_version,
      window: { start: row.window_start_ms, end: row.window_end_ms },
      partial: WindowPartial.fromJSON(
        profile,
        JSON.parse(row.state) as PartialStateJSON,
        this.deps.processor?.exactValues,
      ),
      through: row.through_offset,
      ids: ids.get(windowKey(row.model_id, row.model_version, row.window_start_ms)) ?? new Set(),
      newIds: [],
    };
  }

  private count(
    out: ReturnType<PartitionProcessor['process']>,
    partition: number,
    p: PartitionProcessor,
  ): void {
    const m = this.deps.metrics;
    if (out.late > 0) m.lateEvents.inc(out.late);
    if (out.undecodable > 0) m.undecodable.inc({ topic: this.deps.topic }, out.undecodable);
    if (out.replayed > 0) m.replayedEvents.inc(out.replayed);
    if (out.duplicates > 0) m.duplicateEvents.inc(out.duplicates);
    if (out.untracked > 0) m.untrackedIds.inc(out.untracked);
    for (const u of out.unprofiled.values())
      m.unprofiledEvents.inc({ model_id: u.modelId, model_version: u.modelVersion }, u.count);
    m.openWindows.set({ partition: String(partition) }, p.openWindows.length);
  }
}

/** Appends `more` to `to` in place (no spread: a batch may touch more rows than a call takes arguments). */
function appendAll<T>(to: T[], more: readonly T[]): void {
  for (const x of more) to.push(x);
}

function versionsOf(messages: DecodedMessage[]): { modelId: string; modelVersion: string }[] {
  const seen = new Map<string, { modelId: string; modelVersion: string }>();
  for (const { event } of messages) {
    if (event)
      seen.set(`${event.model_id}\u0000${event.model_version}`, {
        modelId: event.model_id,
        modelVersion: event.model_version,
      });
  }
  return [...seen.values()];
}
