import type { DriftRow } from './rows.ts';
import {
  DATASET_FEATURE,
  EMBEDDING_PREFIX,
  ERROR_FEATURE,
  isJointDriftFeature as isBeyondFeatures,
  MULTIVARIATE_FEATURE,
  PREDICTION_FEATURE,
  SCORE_PREFIX,
} from '../../core/src/records/reserved-names.ts';

/** One heatmap cell: the decisive test of a feature in a window. */
export interface DriftCell {
  row: number;
  col: number;
  method: string;
  statistic: number;
  pValue: number | null;
  threshold: number | null;
  drifted: boolean;
  /** How far past the threshold, 1 = at it (see driftScore). */
  score: number;
  samples: number;
}

export interface DriftHeatmap {
  version: string;
  features: string[];
  windows: { startMs: number; endMs: number }[];
  cells: DriftCell[];
}

/** The dataset-level verdict of one window. */
export interface DriftWindow {
  version: string;
  startMs: number;
  endMs: number;
  drifted: string[];
  tested: number;
  /** Share of drifted features from the `__dataset__` row; null when the monitor wrote none. */
  share: number | null;
  datasetDrifted: boolean;
}

/** A concept-drift detector firing on the error stream (irregular "windows": since the last detection). */
export interface ConceptDetection {
  version: string;
  detector: string;
  fromMs: number;
  atMs: number;
  meanError: number;
  samples: number;
}

export interface DriftSection {
  heatmaps: DriftHeatmap[];
  windows: DriftWindow[];
  detections: ConceptDetection[];
}

/** Scores above this all look the same: far past the threshold. */
export const MAX_SCORE = 3;

/**
 * One colour scale for every test, whatever its direction: 0 = no change, 1 = at the threshold, more = past it.
 * p-value tests (drift when p ≤ t): log(p) / log(t). Distances (drift when statistic ≥ t): statistic / t.
 * Without a usable threshold, the monitor's own verdict (0 or 1).
 */
export function driftScore(
  r: Pick<DriftRow, 'statistic' | 'pValue' | 'threshold' | 'drifted' | 'center'>,
): number {
  const t = r.threshold;
  let score: number;
  if (r.center != null && t !== null && t > r.center) {
    // A band around the reference's value (reconstruction error): 0 at its centre, 1 at its upper end.
    score = Math.abs(r.statistic - r.center) / (t - r.center);
  } else if (r.pValue !== null && t !== null && t > 0 && t < 1) {
    score = r.pValue <= 0 ? MAX_SCORE : Math.log(Math.min(1, r.pValue)) / Math.log(t);
  } else if (r.pValue === null && t !== null && t > 0) {
    score = r.statistic / t;
  } else {
    score = r.drifted ? 1 : 0;
  }
  return Number.isFinite(score) ? Math.min(MAX_SCORE, Math.max(0, score)) : r.drifted ? MAX_SCORE : 0;
}

/** Input features by name, then the prediction, the class scores, the multivariate row, the embeddings. */
export function featureOrder(a: string, b: string): number {
  const rank = (f: string) =>
    f === PREDICTION_FEATURE
      ? 1
      : f.startsWith(SCORE_PREFIX)
        ? 2
        : f === MULTIVARIATE_FEATURE
          ? 3
          : f.startsWith(EMBEDDING_PREFIX)
            ? 4
            : 0;
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** A feature name as people read it. */
export function featureLabel(feature: string): string {
  if (feature === PREDICTION_FEATURE) return 'prediction';
  if (feature.startsWith(SCORE_PREFIX)) return `score: ${feature.slice(SCORE_PREFIX.length)}`;
  if (feature === MULTIVARIATE_FEATURE) return 'multivariate (PCA reconstruction)';
  if (feature.startsWith(EMBEDDING_PREFIX)) return `embedding: ${feature.slice(EMBEDDING_PREFIX.length)}`;
  return feature;
}

function heatmap(version: string, rows: DriftRow[]): DriftHeatmap {
  const features = [...new Set(rows.map((r) => r.feature))].sort(featureOrder);
  const ends = new Map(rows.map((r) => [r.startMs, r.endMs]));
  const starts = [...ends.keys()].sort((a, b) => a - b);
  const windows = starts.map((s) => ({ startMs: s, endMs: ends.get(s)! }));
  const cells = rows.map((r) => ({
    row: features.indexOf(r.feature),
    col: starts.indexOf(r.startMs),
    method: r.method,
    statistic: r.statistic,
    pValue: r.pValue,
    threshold: r.threshold,
    drifted: r.drifted,
    score: driftScore(r),
    samples: r.samples,
  }));
  // Row-major whatever order the database returned: the same data always draws the same SVG.
  cells.sort((a, b) => a.row - b.row || a.col - b.col);
  return { version, features, windows, cells };
}

function driftWindows(version: string, features: DriftRow[], dataset: DriftRow[]): DriftWindow[] {
  const starts = [...new Set([...features, ...dataset].map((r) => r.startMs))].sort((a, b) => a - b);
  return starts.map((startMs) => {
    const inWindow = features.filter((r) => r.startMs === startMs);
    const d = dataset.find((r) => r.startMs === startMs);
    return {
      version,
      startMs,
      endMs: d?.endMs ?? inWindow[0]!.endMs,
      drifted: inWindow
        .filter((r) => r.drifted)
        .map((r) => r.feature)
        .sort(featureOrder),
      // Features only: the dataset row's share counts them, not the multivariate and embedding rows.
      tested: inWindow.filter((r) => !isBeyondFeatures(r.feature)).length,
      share: d ? d.statistic : null,
      datasetDrifted: d?.drifted ?? false,
    };
  });
}

/** Decisive drift_metrics rows → one heatmap and window list per version, and the concept-drift detections. */
export function driftSection(rows: DriftRow[]): DriftSection {
  const versions = [...new Set(rows.map((r) => r.version))].sort();
  const out: DriftSection = { heatmaps: [], windows: [], detections: [] };
  for (const version of versions) {
    const mine = rows.filter((r) => r.version === version);
    const features = mine.filter((r) => r.feature !== DATASET_FEATURE && r.feature !== ERROR_FEATURE);
    const dataset = mine.filter((r) => r.feature === DATASET_FEATURE);
    if (features.length > 0) out.heatmaps.push(heatmap(version, features));
    out.windows.push(...driftWindows(version, features, dataset));
    out.detections.push(
      ...mine
        .filter((r) => r.feature === ERROR_FEATURE)
        .map((r) => ({
          version,
          detector: r.method,
          fromMs: r.startMs,
          atMs: r.endMs,
          meanError: r.statistic,
          samples: r.samples,
        })),
    );
  }
  out.windows.sort((a, b) => a.startMs - b.startMs || a.version.localeCompare(b.version));
  out.detections.sort((a, b) => a.atMs - b.atMs);
  return out;
}
