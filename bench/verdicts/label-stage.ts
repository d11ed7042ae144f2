/**
 * What the services do with joined predictions, in-process: the performance monitor's pure processor
 * (windows, baseline, lateness; services/performance-monitor/src/processor.ts) and the drift monitor's
 * concept-drift detectors (services/drift-monitor/src/concept-drift.ts), fed in label-arrival order as the
 * joiner emits them.
 */
import type { Detection, PerformanceWindow } from '../../services/alerter/src/window.ts';
import type { DetectorName } from '../../services/core/src/drift/registry.ts';
import type { JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import { ConceptDriftProcessor } from '../../services/drift-monitor/src/concept-drift.ts';
import type { ProcessorOptions } from '../../services/performance-monitor/src/options.ts';
import { PerformanceProcessor } from '../../services/performance-monitor/src/processor.ts';
import { performanceWindowsFromRows } from '../../services/alerter/src/perf-window-rows.ts';

export class LabelStage {
  private readonly performance: PerformanceProcessor;
  private readonly concept: ConceptDriftProcessor;
  private offset = 0;
  private revision = 0;
  /** Every detection so far, per model version (`model\0version`). */
  private readonly detections = new Map<string, Detection[]>();

  constructor(
    options: ProcessorOptions,
    detectors: readonly DetectorName[],
    private readonly alertWindow: string,
    confirmDetections: boolean,
  ) {
    this.performance = new PerformanceProcessor(options);
    // Without confirmation: every raw signal of River's detectors, as the drift monitor reported them before.
    this.concept = new ConceptDriftProcessor(detectors, [], confirmDetections ? undefined : null);
  }

  /** One batch of joined predictions, in arrival order; returns the labeled predictions not dropped as late. */
  add(batch: readonly JoinedPrediction[]): number {
    let accepted = 0;
    const messages = batch.map((record) => ({ offset: this.offset++, record }));
    for (const r of batch) if (this.performance.process(r).outcome === 'accepted') accepted += 1;
    for (const d of this.concept.process(messages).detections) {
      const key = `${d.modelId}\u0000${d.modelVersion}`;
      const list = this.detections.get(key) ?? [];
      // As drift-inputs.ts reads them: the time in whole seconds, the joined offset it fired at.
      list.push({
        detector: d.detector,
        meanError: d.meanError,
        count: d.count,
        atMs: Math.floor(d.atMs / 1000) * 1000,
        offset: d.offset,
      });
      this.detections.set(key, list);
    }
    return accepted;
  }

  /**
   * Flushes the processor: the performance windows whose rows changed, open and final, in the alerter's shape
   * (as the alerter reads performance_metrics: all traffic, its window size).
   */
  flush(): PerformanceWindow[] {
    const result = this.performance.flush(++this.revision);
    const rows = result.metricRows.filter((r) => r.segment === '' && r.window_size === this.alertWindow);
    return performanceWindowsFromRows(rows);
  }

  /** The detections of a model version that fired before `endMs`, as the alerter reads them. */
  detectionsBefore(modelId: string, modelVersion: string, endMs: number): Detection[] {
    return (this.detections.get(`${modelId}\u0000${modelVersion}`) ?? []).filter((d) => d.atMs < endMs);
  }
}
