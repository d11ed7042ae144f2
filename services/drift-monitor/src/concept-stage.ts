import { DecodeError } from '../../core/src/errors.ts';
import type { PartitionBatch } from '../../core/src/kafka/committing-consumer.ts';
import type { DetectorName } from '../../core/src/drift/registry.ts';
import type { Logger } from '../../core/src/logger.ts';
import type { JoinedPrediction } from '../../core/src/records/records.generated.ts';
import { ConceptDriftProcessor } from './concept-drift.ts';
import type { DriftMetrics } from './metrics.ts';
import { detectionRow } from './rows.ts';
import type { DriftStore } from './store.ts';

export interface ConceptStageDeps {
  store: DriftStore;
  detectors: readonly DetectorName[];
  decode: (value: Buffer | null) => Promise<JoinedPrediction>;
  metrics: DriftMetrics;
  logger: Logger;
  topic: string;
  now?: () => number;
}

/**
 * The concept-drift consumer's batch handler: detectors restored per partition from drift_detector_state,
 * fed the batch's errors; detections written to drift_metrics, then the detector states, then the offset
 * is committed. A replay recomputes the same detections (same rows) and skips what stored states hold. The
 * batches of one fetch (one per partition) are written together: one insert per table, not per partition.
 */
export class ConceptStage {
  private readonly processors = new Map<number, ConceptDriftProcessor>();

  constructor(private readonly deps: ConceptStageDeps) {}

  onAssignment(): void {
    this.processors.clear();
  }

  /** The batches of one fetch, of different partitions (runCommittingConsumer's handleMany). */
  handleMany = async (batches: readonly PartitionBatch[]): Promise<void> => {
    const now = (this.deps.now ?? Date.now)();
    const detections: ReturnType<typeof detectionRow>[] = [];
    const states: ReturnType<typeof ConceptDriftProcessor.stateRows> = [];
    const afterWrite: (() => void)[] = [];
    for (const batch of batches) {
      const out = await this.process(batch);
      for (const d of out.detections) detections.push(detectionRow(d, now));
      for (const s of ConceptDriftProcessor.stateRows(out.touched, batch.partition, now)) states.push(s);
      afterWrite.push(() => this.report(out));
    }
    await this.deps.store.writeDriftRows(detections);
    await this.deps.store.writeDetectorStates(states);
    for (const f of afterWrite) f();
  };

  private async process({ partition, messages }: PartitionBatch): Promise<ConceptOutcome> {
    const { deps } = this;
    let processor = this.processors.get(partition);
    if (!processor) {
      processor = new ConceptDriftProcessor(deps.detectors, await deps.store.detectorStates(partition));
      this.processors.set(partition, processor);
    }
    const decoded: { offset: number; record: JoinedPrediction | null }[] = [];
    for (const m of messages) {
      try {
        decoded.push({ offset: Number(m.offset), record: await deps.decode(m.value) });
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        deps.metrics.undecodable.inc({ topic: deps.topic });
        decoded.push({ offset: Number(m.offset), record: null });
      }
    }
    return processor.process(decoded);
  }

  private report(out: ConceptOutcome): void {
    const { deps } = this;
    if (out.unconfirmed > 0) deps.metrics.unconfirmedSignals.inc(out.unconfirmed);
    for (const d of out.detections) {
      deps.metrics.detections.inc({ model_id: d.modelId, detector: d.detector });
      deps.logger.info(
        {
          model: d.modelId,
          version: d.modelVersion,
          detector: d.detector,
          meanError: d.meanError,
          values: d.count,
        },
        'concept drift detected',
      );
    }
  }
}

type ConceptOutcome = ReturnType<ConceptDriftProcessor['process']>;
