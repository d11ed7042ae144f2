import type { PartitionBatch } from '../../core/src/kafka/committing-consumer.ts';
import { decodeOrSkip } from '../../core/src/kafka/decode-or-skip.ts';
import { PartitionStates } from '../../core/src/kafka/partition-states.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { ScoreCalibration } from '../../core/src/performance/isotonic-calibration.ts';
import type { InferenceWithoutFeatures } from '../../core/src/serde/codecs.ts';
import type { TumblingWindows } from '../../core/src/windows/tumbling-windows.ts';
import type { EstimatorMetrics } from './metrics.ts';
import type { OpenPartial } from './open-partial.ts';
import { PartitionEstimator, type BatchOutcome } from './processor.ts';
import { decodePartialState, encodePartialState } from './partial-state-codec.ts';
import { SeenIds } from './seen-ids.ts';
import type { EstimatorStore, PartialRow } from './store.ts';

export interface EstimateStageDeps {
  store: EstimatorStore;
  windows: TumblingWindows;
  windowSize: string;
  decode: (value: Buffer | null) => Promise<InferenceWithoutFeatures>;
  calibrationOf: (modelId: string, modelVersion: string) => ScoreCalibration | undefined;
  /** Windows the close loop has estimated (late events for them are counted, not added). */
  isClosed: (key: string) => boolean;
  metrics: EstimatorMetrics;
  logger: Logger;
  now?: () => number;
}

/**
 * The inference topic wired to storage: per source partition a {@link PartitionEstimator}, restored from
 * estimate_partials on first use after an assignment; after the batches of one fetch (one per partition) the
 * full partial state of every touched window is written, in one insert for all of them, before the consumer
 * commits their offsets (one insert per partition was most of ClickHouse's inserts at moderate rates).
 */
export class EstimateStage {
  private readonly processors = new PartitionStates((partition) => this.restore(partition));

  constructor(private readonly deps: EstimateStageDeps) {}

  /** After any rebalance: another member may have advanced a partition's state, reload it. */
  onAssignment(): void {
    this.processors.clear();
  }

  /** The batches of one fetch, of different partitions (runCommittingConsumer's handleMany). */
  handleMany = async (batches: readonly PartitionBatch[]): Promise<void> => {
    const { deps } = this;
    const now = (deps.now ?? Date.now)();
    const rows: PartialRow[] = [];
    const afterWrite: (() => void)[] = [];
    for (const { partition, messages } of batches) {
      const processor = await this.processors.get(partition);
      // Only a bad value is skipped (the sink dead-letters it); a registry outage retries the batches.
      const decoded = await decodeOrSkip(messages, deps.decode);
      const out = processor.process(decoded, deps.calibrationOf, deps.isClosed);
      for (const p of out.touched)
        rows.push(partialRow(p, partition, out.modelTimes.get(p.modelId) ?? 0, now));
      afterWrite.push(() => {
        processor.evict(deps.isClosed);
        this.count(out);
      });
    }
    await deps.store.insert('estimate_partials', rows);
    for (const f of afterWrite) f();
  };

  private async restore(partition: number): Promise<PartitionEstimator> {
    const rows = await this.deps.store.openPartials(partition, this.deps.windowSize);
    const modelTimes = new Map<string, number>();
    for (const r of rows)
      modelTimes.set(r.model_id, Math.max(modelTimes.get(r.model_id) ?? -Infinity, r.stream_time_ms));
    const processor = new PartitionEstimator(partition, this.deps.windows, modelTimes, rows.map(openPartial));
    this.deps.logger.info({ partition, openWindows: rows.length }, 'partition state restored');
    return processor;
  }

  private count(out: BatchOutcome): void {
    const m = this.deps.metrics;
    m.events.inc({ outcome: 'estimated' }, out.estimated);
    m.events.inc({ outcome: 'uncalibrated' }, out.uncalibrated);
    m.events.inc({ outcome: 'unscored' }, out.unscored);
    m.events.inc({ outcome: 'late' }, out.late);
    m.events.inc({ outcome: 'undecodable' }, out.undecodable);
    m.events.inc({ outcome: 'replayed' }, out.replayed);
    m.events.inc({ outcome: 'duplicate' }, out.duplicates);
  }
}

function openPartial(r: PartialRow): OpenPartial {
  return {
    modelId: r.model_id,
    modelVersion: r.model_version,
    startMs: r.window_start_ms,
    endMs: r.window_end_ms,
    state: decodePartialState(r.state),
    through: r.through_offset,
    ids: new SeenIds(),
  };
}

/** Pure: the stored form of a partial. */
export function partialRow(p: OpenPartial, partition: number, streamTimeMs: number, now: number): PartialRow {
  return {
    model_id: p.modelId,
    model_version: p.modelVersion,
    window_start_ms: p.startMs,
    window_end_ms: p.endMs,
    source_partition: partition,
    through_offset: p.through,
    stream_time_ms: streamTimeMs,
    state: encodePartialState(p.state),
    written_at_ms: now,
  };
}
