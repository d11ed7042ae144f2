import {
  DEFAULT_VARIANCE_SHARE,
  PcaReconstruction,
  fitPcaReconstruction,
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
 */
export function buildMultivariate(
  features: readonly string[],
  rows: readonly (readonly (number | null)[])[],
  varianceShare = DEFAULT_VARIANCE_SHARE,
): MultivariateProfile | undefined {
  if (features.length < 2 || rows.length < MIN_MULTIVARIATE_EVENTS) return undefined;
  const reconstruction = fitPcaReconstruction(features, rows, varianceShare);
  const residual = new Float64Array(features.length);
  const z = new Float64Array(features.length);
  const errors: number[] = [];
  const contributions = new Array<number>(features.length).fill(0);
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) z[i] = reconstruction.standardize(i, row[i]);
    errors.push(Math.sqrt(reconstruction.residualOf(z, residual)));
    residual.forEach((r, i) => (contributions[i] = (contributions[i] as number) + r * r));
  }
  const chunkSize = Math.floor(rows.length / REFERENCE_CHUNKS);
  const chunkValues = chunkMeans(errors, chunkSize);
  return {
    reconstruction,
    band: referenceBand(chunkValues, chunkSize),
    chunkValues,
    referenceContributions: contributions.map((c) => c / rows.length),
    holdout: holdoutErrors(features, rows, chunkSize, varianceShare),
  };
}

/**
 * Each reference chunk's errors from a PCA fitted on the other chunks (10-fold cross-fitting). The errors of
 * the reference's own fit are too small: among components of nearly equal variance the fit keeps those the
 * reference happens to spread most along, so new data from the same distribution reconstructs worse than the
 * reference did, and NannyML's in-sample band flags stationary windows (see the drift-monitor README). A
 * held-out error is what a new window of the same distribution shows.
 */
function holdoutErrors(
  features: readonly string[],
  rows: readonly (readonly (number | null)[])[],
  chunkSize: number,
  varianceShare: number,
): HoldoutErrors {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  const foldMeans: number[] = [];
  const z = new Float64Array(features.length);
  const residual = new Float64Array(features.length);
  for (let start = 0; start + chunkSize <= rows.length; start += chunkSize) {
    const train = [...rows.slice(0, start), ...rows.slice(start + chunkSize)];
    const model = fitPcaReconstruction(features, train, varianceShare);
    let fold = 0;
    for (const row of rows.slice(start, start + chunkSize)) {
      for (let i = 0; i < row.length; i++) z[i] = model.standardize(i, row[i]);
      const e = Math.sqrt(model.residualOf(z, residual));
      n += 1;
      sum += e;
      sumSq += e * e;
      fold += e;
    }
    foldMeans.push(fold / chunkSize);
  }
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1)));
  const between = foldMeans.reduce((s, m) => s + (m - mean) ** 2, 0) / (foldMeans.length - 1);
  return { mean, sd, n, fit_sd: Math.sqrt(Math.max(0, between - (sd * sd) / chunkSize)) };
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
