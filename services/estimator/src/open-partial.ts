import type { EstimateState } from '../../core/src/performance/estimate-state.ts';
import type { SeenIds } from './seen-ids.ts';

/** The estimate state of one open window of a model version on one source partition. */
export interface OpenPartial {
  readonly modelId: string;
  readonly modelVersion: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly state: EstimateState;
  /** The last source offset the state holds. */
  through: number;
  /**
   * Prediction ids counted in this window on this partition, so a re-sent prediction (same id, same key, same
   * partition) counts once. Kept in memory only: after a restart a re-send of an earlier id counts again.
   */
  readonly ids: SeenIds;
}
