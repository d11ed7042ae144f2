import {
  rankFeaturesByPerformanceChange,
  type FeatureCorrelation,
  type FeatureDriftPoint,
} from '../../core/src/performance/correlation-ranker.ts';
import {
  DATASET_FEATURE,
  ERROR_FEATURE,
  MULTIVARIATE_FEATURE,
} from '../../core/src/records/reserved-names.ts';
import type { DriftRow, EstimateRow } from './rows.ts';

/** The estimated figures shown beside the realized ones, in display order. */
export const ESTIMATED_METRICS = ['accuracy', 'f1_macro', 'roc_auc'] as const;

/** Where a window's estimate stands: labels still to come, realized within the band, or outside it. */
export type EstimateStatus = 'awaiting labels' | 'within band' | 'OUTSIDE band' | 'CONCEPT DRIFT';

/** One window of one version: the estimate made before its labels, and the realized figure once final. */
export interface EstimatedWindow {
  version: string;
  startMs: number;
  endMs: number;
  samples: number;
  /** Estimated `accuracy`, `f1_macro`, `roc_auc` (those the estimator wrote). */
  estimates: Record<string, number>;
  accuracyBand: [number, number] | null;
  realizedAccuracy: number | null;
  /** Realized − estimated accuracy. */
  error: number | null;
  status: EstimateStatus;
}

/** Per version: features ranked by how their drift moves with the estimated accuracy's change. */
export interface FeatureRanking {
  version: string;
  /** The reference the change is measured from: the accuracy of the estimator's calibration data. */
  reference: number;
  features: FeatureCorrelation[];
}

export interface EstimationSection {
  /** The estimates' window size; null without estimates. */
  windowSize: string | null;
  windows: EstimatedWindow[];
  rankings: FeatureRanking[];
}

const windowKey = (version: string, startMs: number) => `${version}\u0000${startMs}`;

function statusOf(accuracy: EstimateRow | undefined): EstimateStatus {
  if (!accuracy || accuracy.realized === null) return 'awaiting labels';
  if (accuracy.conceptDrift) return 'CONCEPT DRIFT';
  return accuracy.outsideBand ? 'OUTSIDE band' : 'within band';
}

function windowsOf(rows: EstimateRow[]): EstimatedWindow[] {
  const byWindow = new Map<string, EstimateRow[]>();
  for (const r of rows) {
    const key = windowKey(r.version, r.startMs);
    byWindow.set(key, [...(byWindow.get(key) ?? []), r]);
  }
  return [...byWindow.values()]
    .map((figures) => {
      const first = figures[0]!;
      const accuracy = figures.find((f) => f.metric === 'accuracy');
      return {
        version: first.version,
        startMs: first.startMs,
        endMs: first.endMs,
        samples: first.samples,
        estimates: Object.fromEntries(figures.map((f) => [f.metric, f.estimate])),
        accuracyBand: accuracy ? ([accuracy.bandLow, accuracy.bandHigh] as [number, number]) : null,
        realizedAccuracy: accuracy?.realized ?? null,
        error: accuracy?.error ?? null,
        status: statusOf(accuracy),
      };
    })
    .sort((a, b) => a.startMs - b.startMs || a.version.localeCompare(b.version));
}

/** Features only: the dataset share, the error stream and the joint (multivariate) row are not features. */
const RANKED = (feature: string) =>
  feature !== DATASET_FEATURE && feature !== ERROR_FEATURE && feature !== MULTIVARIATE_FEATURE;

/**
 * NannyML's correlation ranker per version over the report's windows: each feature's decisive drift statistic
 * against |estimated accuracy − the calibration data's accuracy|, on the windows both tables have.
 */
function rankingsOf(rows: EstimateRow[], drift: DriftRow[]): FeatureRanking[] {
  const out: FeatureRanking[] = [];
  for (const version of [...new Set(rows.map((r) => r.version))].sort()) {
    const accuracy = rows.filter((r) => r.version === version && r.metric === 'accuracy');
    const reference = accuracy.find((r) => r.baseline !== null)?.baseline;
    if (reference === undefined || reference === null) continue;
    const performance = new Map(accuracy.map((r) => [r.startMs, r.estimate]));
    const points = new Map<string, FeatureDriftPoint[]>();
    for (const d of drift)
      if (d.version === version && RANKED(d.feature) && performance.has(d.startMs))
        points.set(d.feature, [
          ...(points.get(d.feature) ?? []),
          { windowStartMs: d.startMs, statistic: d.statistic, drifted: d.drifted },
        ]);
    const features = rankFeaturesByPerformanceChange({ reference, performance, drift: points });
    if (features.some((f) => f.windows >= 3)) out.push({ version, reference, features });
  }
  return out;
}

/** performance_estimates rows (and the decisive drift rows) → the estimation part of the report. Pure. */
export function estimationSection(rows: EstimateRow[], drift: DriftRow[]): EstimationSection {
  const sizes = [...new Set(rows.map((r) => r.windowSize))].sort();
  const windowSize = sizes[0] ?? null;
  const shown = rows.filter((r) => r.windowSize === windowSize);
  return { windowSize, windows: windowsOf(shown), rankings: rankingsOf(shown, drift) };
}
