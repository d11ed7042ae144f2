import { bandFor, holdoutBandFor, topContributors } from '../../core/src/stats/reconstruction-drift.ts';
import type { ReferenceProfile } from './profile.ts';
import type { WindowPartial } from './window-partials.ts';

/** A window's multivariate verdict: its mean reconstruction error against the reference band. */
export interface MultivariateEvaluation {
  /** The window's mean reconstruction error. */
  meanError: number;
  /** Events with an error (every event of the window). */
  n: number;
  lower: number;
  upper: number;
  drifted: boolean;
  /** The sample standard deviation of the window's per-event errors (NannyML's sampling error × √n). */
  errorSd: number;
  /** The features whose squared residual rose most over the reference's, with their share of the error. */
  contributors: { feature: string; share: number; rise: number }[];
  /** The held-out reference errors the band is built on. */
  holdout: { mean: number; sd: number; n: number; fit_sd: number };
  /** NannyML's band for a chunk of the reference's chunk size (in-sample chunks' mean ± 3 sd), for comparison. */
  nannyml: { lower: number; upper: number };
  referenceCenter: number;
  referenceChunkSd: number;
  chunkSize: number;
  components: number;
  explained: number;
}

/**
 * Decides multivariate drift of a window (pure): drifted when its mean reconstruction error leaves the
 * reference band, mean ± 3 sd as NannyML's, but of held-out reference errors and for the window's count
 * (holdoutBandFor): NannyML's band from in-sample chunks is both too low and too narrow. Null when the
 * profile has no multivariate part or the window no event.
 */
export function evaluateMultivariate(
  profile: ReferenceProfile,
  window: WindowPartial,
): MultivariateEvaluation | null {
  const mv = profile.multivariate;
  const state = window.multivariate;
  if (!mv || !state || state.n === 0) return null;
  const meanError = state.mean;
  const { lower, upper } = holdoutBandFor(mv.holdout, state.n);
  const variance = state.n > 1 ? (state.sumSq - state.n * meanError * meanError) / (state.n - 1) : 0;
  return {
    meanError,
    n: state.n,
    lower,
    upper,
    drifted: !(meanError > lower && meanError < upper),
    errorSd: Math.sqrt(Math.max(variance, 0)),
    contributors: topContributors(mv.reconstruction.features, state, mv.referenceContributions),
    holdout: mv.holdout,
    nannyml: bandFor(mv.band, mv.band.chunkSize),
    referenceCenter: mv.band.center,
    referenceChunkSd: mv.band.chunkSd,
    chunkSize: mv.band.chunkSize,
    components: mv.reconstruction.k,
    explained: mv.reconstruction.explained,
  };
}
