import type { Condition } from './condition.ts';
import type { Signals } from './diagnosis.ts';
import { featureEvidence } from './drift-conditions.ts';
import { recallDrops } from './performance-conditions.ts';
import type { DriftWindow, PerformanceWindow } from './window.ts';

const breaching = (c: Condition) => c.verdict.level === 'breach';

/** What a window says for diagnosis: its own side of the Signals, the other side left empty. Pure. */
export function windowSignals(
  w: PerformanceWindow | DriftWindow,
  conditions: readonly Condition[],
): Partial<Signals> {
  if (w.source === 'performance') {
    return {
      recallDrops: recallDrops(w.metrics),
      performanceDrop: conditions.some((c) => c.kind === 'PERFORMANCE' && breaching(c)),
    };
  }
  const operational = conditions
    .filter((c) => (c.kind === 'LATENCY' || c.kind === 'DATA_QUALITY') && breaching(c))
    .flatMap((c) => (c.metric === 'missing_rate' ? c.evidence.slice(0, 3) : c.evidence));
  return {
    driftedFeatures: w.features
      .filter((f) => f.drifted)
      .map(featureEvidence)
      .sort((a, b) => b.score - a.score || a.subject.localeCompare(b.subject)),
    predictionDrift: w.prediction?.drifted ? featureEvidence(w.prediction) : null,
    detectorHits: conditions.filter((c) => c.kind === 'CONCEPT_DRIFT').flatMap((c) => c.evidence),
    operational,
  };
}
