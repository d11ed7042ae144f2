import {
  EMBEDDING_STATISTICS,
  embeddingDistances,
  type EmbeddingStatistic,
} from '../../core/src/stats/embedding-drift.ts';
import { embeddingThreshold } from '../../core/src/stats/embedding-calibration.ts';
import type { ReferenceProfile } from './profile.ts';
import type { WindowPartial } from './window-partials.ts';

/** The statistic that decides an embedding's drift; the other two are reported beside it. */
export const DECISIVE_EMBEDDING_STATISTIC: EmbeddingStatistic = 'mmd';

export interface EmbeddingTest {
  statistic: EmbeddingStatistic;
  value: number;
  threshold: number;
  drifted: boolean;
}

/** One embedding's verdict in a window. */
export interface EmbeddingEvaluation {
  name: string;
  n: number;
  missing: number;
  referenceCount: number;
  alpha: number;
  tests: EmbeddingTest[];
  /** Drifted when the decisive statistic (MMD) is above its calibrated threshold. */
  drifted: boolean;
}

/**
 * Tests every embedding of the profile on a window (pure): the three distances against thresholds calibrated
 * on the reference for the window's count at the profile's false-alarm rate. An embedding the window has no
 * vector of is left out.
 */
export function evaluateEmbeddings(profile: ReferenceProfile, window: WindowPartial): EmbeddingEvaluation[] {
  const out: EmbeddingEvaluation[] = [];
  (profile.embeddings ?? []).forEach((reference, i) => {
    const state = window.embeddings[i];
    if (!state || state.n === 0) return;
    const d = embeddingDistances(state.sum, state.featureSum, state.n, reference);
    const tests = EMBEDDING_STATISTICS.map((statistic) => {
      const threshold = embeddingThreshold(reference.calibration, statistic, state.n);
      return { statistic, value: d[statistic], threshold, drifted: d[statistic] > threshold };
    });
    out.push({
      name: reference.name,
      n: state.n,
      missing: state.missing,
      referenceCount: reference.count,
      alpha: reference.calibration.alpha,
      tests,
      drifted: tests.find((t) => t.statistic === DECISIVE_EMBEDDING_STATISTIC)!.drifted,
    });
  });
  return out;
}
