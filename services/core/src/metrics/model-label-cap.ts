/** The label value every model/version pair beyond the cap is counted under (model_id and model_version). */
export const OTHER_MODEL = '__other__';

// A type, not an interface: a label set (Record<string, string>) takes it.
export type ModelLabels = {
  model_id: string;
  model_version: string;
};

/**
 * Bounds the model_id/model_version label pairs of per-model series: the first `maxPairs` pairs seen keep their
 * own labels for the life of the process; any later pair is folded into `__other__`, so a producer sending a
 * new version per request cannot grow a service's /metrics without bound. Pure (no I/O).
 * @example
 * const cap = new ModelLabelCap(1);
 * cap.labels('fraud', 'v1'); // { model_id: 'fraud', model_version: 'v1' }
 * cap.labels('fraud', 'v2'); // { model_id: '__other__', model_version: '__other__' }
 */
export class ModelLabelCap {
  private readonly admitted = new Set<string>();

  constructor(readonly maxPairs: number) {}

  /** The labels to write for this pair, and whether it was folded into `__other__`. */
  labels(modelId: string, modelVersion: string): ModelLabels & { overflow: boolean } {
    const key = `${modelId}\u0000${modelVersion}`;
    if (this.admitted.has(key) || this.admitted.size < this.maxPairs) {
      this.admitted.add(key);
      return { model_id: modelId, model_version: modelVersion, overflow: false };
    }
    return { model_id: OTHER_MODEL, model_version: OTHER_MODEL, overflow: true };
  }

  get size(): number {
    return this.admitted.size;
  }
}
