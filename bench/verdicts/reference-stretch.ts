/**
 * How typical a scenario's reference sample is. The performance monitor's default baseline
 * (DRIFTLINE_PERF_BASELINE=labels:2000) is a version's first 2,000 labels by arrival; with fixed seeds the
 * benchmark draws that sample once, and a draw several standard errors off the version's true accuracy turns
 * ordinary windows into "drops" (or hides real ones) in every run. A stationary false alarm should measure the
 * rules, not the luck of one reference draw, so the scenarios' seeds are checked with this.
 */
import type { JoinedPrediction } from '../../services/core/src/records/records.generated.ts';
import { mulberry32 } from '../../services/core/src/stats/random.ts';
import { drawLabelTimes, START_MS, windowDraws } from './run-scenario.ts';
import { WINDOW_MS, type Scenario, type VersionSpec } from './scenarios.ts';

export interface ReferenceStretch {
  labels: number;
  accuracy: number;
  /** The stretch's accuracy minus the version's true accuracy, in binomial standard errors. */
  z: number;
}

const keyOf = (modelId: string, modelVersion: string) => `${modelId} ${modelVersion}`;

/** Each version's labels that arrive before any of a later window's can, in arrival order, up to `n`. */
function firstArrivals(s: Scenario, versions: readonly VersionSpec[], n: number) {
  const byVersion = new Map(
    versions.map((v) => [keyOf(v.modelId, v.modelVersion), [] as JoinedPrediction[]]),
  );
  const delay = mulberry32(s.seed);
  for (let k = 0; k < s.windows; k++) {
    const draws = windowDraws(s, k);
    drawLabelTimes(s, draws, delay);
    for (const d of draws) byVersion.get(keyOf(d.joined.model_id, d.joined.model_version))?.push(d.joined);
    const nextEarliest = START_MS + (k + 1) * WINDOW_MS + s.delay.minMs;
    const arrived = (labels: JoinedPrediction[]) => labels.filter((j) => j.labeled_at < nextEarliest).length;
    if ([...byVersion.values()].every((labels) => arrived(labels) >= n)) break;
  }
  // A stable sort, as the run delivers labels: by arrival time, ties in event-time order.
  for (const labels of byVersion.values()) labels.sort((a, b) => a.labeled_at - b.labeled_at).splice(n);
  return byVersion;
}

/**
 * The first `n` labels of each version by arrival, as the `labels:n` baseline takes them, against the
 * version's true accuracy; in the order of `versions`.
 */
export function referenceStretches(
  s: Scenario,
  versions: readonly VersionSpec[],
  n: number,
): ReferenceStretch[] {
  const byVersion = firstArrivals(s, versions, n);
  return versions.map((v) => {
    const labels = byVersion.get(keyOf(v.modelId, v.modelVersion))!;
    const accuracy = labels.filter((j) => j.label === j.predicted_label).length / labels.length;
    const truth = 1 - v.errorRate;
    const z = (accuracy - truth) / Math.sqrt((truth * (1 - truth)) / labels.length);
    return { labels: labels.length, accuracy, z };
  });
}
