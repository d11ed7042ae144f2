import { DECISIVE_EMBEDDING_STATISTIC, type EmbeddingEvaluation } from './embedding-evaluation.ts';
import type { MultivariateEvaluation } from './multivariate-evaluation.ts';
import type { ReferenceProfile } from './profile.ts';
import { EMBEDDING_PREFIX, MULTIVARIATE_FEATURE } from '../../core/src/records/reserved-names.ts';
import type { DriftMetricRow, WindowIdentity } from './drift-metric-row.ts';

/** The dataset-level reconstruction-error row, explained by the features whose residuals rose most. */
export function multivariateRow(
  id: WindowIdentity,
  m: MultivariateEvaluation,
  profile: ReferenceProfile,
): DriftMetricRow {
  const named = m.contributors
    .slice(0, 3)
    .map((c) => `${c.feature} ${(100 * c.share).toFixed(0)}%`)
    .join(', ');
  const side = m.meanError >= m.upper ? 'above' : m.meanError <= m.lower ? 'below' : 'inside';
  return {
    ...id,
    feature: MULTIVARIATE_FEATURE,
    feature_type: 'dataset',
    method: 'reconstruction_error',
    statistic: m.meanError,
    p_value: null,
    p_value_adjusted: null,
    threshold: m.upper,
    drifted: m.drifted ? 1 : 0,
    decisive: 1,
    reason: `mean PCA reconstruction error ${m.meanError.toPrecision(4)} ${side} the reference band [${m.lower.toPrecision(4)}, ${m.upper.toPrecision(4)}]${named ? `; most of it from ${named}` : ''}`,
    basis: 'exact',
    sample_count: m.n,
    reference_count: profile.eventCount,
    detail: JSON.stringify({
      lower: m.lower,
      upper: m.upper,
      error_sd: m.errorSd,
      holdout_mean: m.holdout.mean,
      holdout_sd: m.holdout.sd,
      nannyml_band: m.nannyml,
      reference_center: m.referenceCenter,
      reference_chunk_sd: m.referenceChunkSd,
      chunk_size: m.chunkSize,
      components: m.components,
      explained_variance: m.explained,
      contributors: m.contributors,
    }),
  };
}

/**
 * An embedding's rows: MMD (decisive) and the distances between mean vectors, each against its threshold
 * calibrated on the reference for the window's count. No vector is written, only distances.
 */
export function embeddingRows(id: WindowIdentity, e: EmbeddingEvaluation): DriftMetricRow[] {
  return e.tests.map((t) => {
    const decisive = t.statistic === DECISIVE_EMBEDDING_STATISTIC;
    return {
      ...id,
      feature: EMBEDDING_PREFIX + e.name,
      feature_type: 'embedding',
      method: t.statistic,
      statistic: t.value,
      p_value: null,
      p_value_adjusted: null,
      threshold: t.threshold,
      drifted: t.drifted ? 1 : 0,
      decisive: decisive ? 1 : 0,
      reason: decisive
        ? `${t.statistic} ${t.value.toPrecision(4)} ${t.drifted ? 'above' : 'within'} its threshold ${t.threshold.toPrecision(4)}, calibrated on the reference for ${e.n} vectors at a false-alarm rate of ${e.alpha}`
        : '',
      basis: 'exact',
      sample_count: e.n,
      reference_count: e.referenceCount,
      detail: JSON.stringify({ alpha: e.alpha, missing: e.missing }),
    };
  });
}
