import { holdoutFits, type StandardizedRows } from '../../core/src/stats/pca-holdout.ts';
import {
  DEFAULT_VARIANCE_SHARE,
  ERROR_ROWS,
  PcaReconstruction,
  fitPcaOnScatter,
  runScatters,
  standardizeColumns,
  type ReconstructionJSON,
} from '../../core/src/stats/pca-reconstruction.ts';
import {
  chunkMeans,
  referenceBand,
  type ReconstructionBand,
} from '../../core/src/stats/reconstruction-drift.ts';

/** NannyML's DefaultChunker splits the reference into 10 chunks: their spread sets the band. */
export const REFERENCE_CHUNKS = 10;
/** Fewer reference events than this give too few events per chunk for a band worth trusting. */
export const MIN_MULTIVARIATE_EVENTS = 100;

/** The stored multivariate part of a profile (reference_profiles.profile.multivariate). */
export interface MultivariateProfileJSON extends ReconstructionJSON {
  chunk_size: number;
  /** The mean reconstruction error of each reference chunk, in event order. */
  chunk_values: number[];
  /** Per feature, the reference's mean squared residual per event (what a window's rise is measured from). */
  reference_contributions: number[];
  /** The reference's cross-fitted (held-out) errors: the band's basis (see HoldoutErrors). */
  holdout: HoldoutErrors;
}

/** A loaded multivariate profile: the fitted reconstruction and the reference band. */
export interface MultivariateProfile {
  reconstruction: PcaReconstruction;
  band: ReconstructionBand;
  chunkValues: number[];
  referenceContributions: number[];
  holdout: HoldoutErrors;
}

/** The reference's errors when each chunk is reconstructed by a PCA fitted without it. */
export interface HoldoutErrors {
  mean: number;
  /** Sample standard deviation of one event's error. */
  sd: number;
  n: number;
  /**
   * How much the mean error moves from one fit to another beyond sampling (the between-fold variance of
   * the chunks' mean errors less sd²/chunk, at least 0): a window is judged by one fit, whose own mean
   * error on new data is off the held-out mean by about this much.
   */
  fit_sd: number;
}

/**
 * Fits the PCA reconstruction on the reference's numeric input features and measures its own chunks' mean
 * errors (NannyML's DataReconstructionDriftCalculator fitted on the reference, with its 10 default chunks).
 * Returns undefined when there is no multivariate question to ask: fewer than 2 numeric features, or fewer
 * than MIN_MULTIVARIATE_EVENTS events.
 * @param columns - one column per feature, each the reference's n values in event order (NaN: missing)
 */
export function buildMultivariate(
  features: readonly string[],
  columns: readonly Float64Array[],
  varianceShare = DEFAULT_VARIANCE_SHARE,
): MultivariateProfile | undefined {
  const n = columns[0]?.length ?? 0;
  if (features.length < 2 || n < MIN_MULTIVARIATE_EVENTS) return undefined;
  const d = features.length;
  // One column-major matrix (see fitPcaOnColumns); the fit standardizes its own copy.
  const x = new Float64Array(n * d);
  columns.forEach((column, i) => x.set(column.subarray(0, n), i * n));
  // The fit standardizes a copy; the held-out fits are derived from it and its scatter matrix.
  const standardized = x.slice();
  const { means, scales } = standardizeColumns(standardized, n, d);
  // The whole's scatter matrix and, from the same pass, each reference chunk's (for the held-out fits).
  const chunkSize = Math.floor(n / REFERENCE_CHUNKS);
  const ends = Array.from({ length: REFERENCE_CHUNKS }, (_, c) => (c + 1) * chunkSize);
  const { whole: scatter, runs: chunkScatters } = runScatters(standardized, n, d, ends);
  const reconstruction = fitPcaOnScatter(features, means, scales, scatter, varianceShare);
  // By blocks of rows (see rowErrors); the residuals' squares per feature from the scatter matrix.
  const errors = new Float64Array(n);
  for (let from = 0; from < n; from += ERROR_ROWS)
    reconstruction.rowErrors(x, n, from, Math.min(n, from + ERROR_ROWS), errors, 0, null);
  const contributions = reconstruction.residualSquares(scatter);
  const chunkValues = chunkMeans(errors, chunkSize);
  return {
    reconstruction,
    band: referenceBand(chunkValues, chunkSize),
    chunkValues,
    referenceContributions: Array.from(contributions, (c) => c / n),
    holdout: holdoutErrors(
      holdoutFits(
        features,
        { x, z: standardized, n, means, scales, scatter, chunkScatters },
        chunkSize,
        varianceShare,
      ),
      { x, n },
      chunkSize,
    ),
  };
}

/**
 * Each reference chunk's errors from a PCA fitted on the other chunks (10-fold cross-fitting). The errors of
 * the reference's own fit are too small: among components of nearly equal variance the fit keeps those the
 * reference happens to spread most along, so new data from the same distribution reconstructs worse than the
 * reference did, and NannyML's in-sample band flags stationary windows (see the drift-monitor README). A
 * held-out error is what a new window of the same distribution shows.
 * @param fits - per chunk, the PCA fitted on the other rows (see holdoutFits)
 * @param x - the reference as a column-major matrix of n rows (see fitPcaOnColumns); left unchanged
 */
function holdoutErrors(
  fits: readonly PcaReconstruction[],
  { x, n }: Pick<StandardizedRows, 'x' | 'n'>,
  chunkSize: number,
): HoldoutErrors {
  let count = 0;
  let sum = 0;
  let sumSq = 0;
  const foldMeans: number[] = [];
  const errors = new Float64Array(chunkSize);
  fits.forEach((model, c) => {
    const start = c * chunkSize;
    for (let from = start; from < start + chunkSize; from += ERROR_ROWS)
      model.rowErrors(x, n, from, Math.min(start + chunkSize, from + ERROR_ROWS), errors, start, null);
    let fold = 0;
    for (let r = 0; r < chunkSize; r++) {
      const e = errors[r] as number;
      count += 1;
      sum += e;
      sumSq += e * e;
      fold += e;
    }
    foldMeans.push(fold / chunkSize);
  });
  const mean = sum / count;
  const sd = Math.sqrt(Math.max(0, (sumSq - count * mean * mean) / (count - 1)));
  const between = foldMeans.reduce((s, v) => s + (v - mean) ** 2, 0) / (foldMeans.length - 1);
  return { mean, sd, n: count, fit_sd: Math.sqrt(Math.max(0, between - (sd * sd) / chunkSize)) };
}

export function multivariateToJSON(m: MultivariateProfile): MultivariateProfileJSON {
  return {
    ...m.reconstruction.toJSON(),
    chunk_size: m.band.chunkSize,
    chunk_values: m.chunkValues,
    reference_contributions: m.referenceContributions,
    holdout: m.holdout,
  };
}

export function multivariateFromJSON(json: MultivariateProfileJSON): MultivariateProfile {
  return {
    reconstruction: PcaReconstruction.fromJSON(json),
    band: referenceBand(json.chunk_values, json.chunk_size),
    chunkValues: json.chunk_values,
    referenceContributions: json.reference_contributions,
    holdout: json.holdout,
  };
}
